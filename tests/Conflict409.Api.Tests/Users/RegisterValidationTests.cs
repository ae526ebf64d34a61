using System.Net;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

namespace Conflict409.Api.Tests.Users;

public sealed class RegisterValidationTests
{
    public static TheoryData<string, string> InvalidBodies => new()
    {
        { """{}""", "A username is required." },
        { """{"username":null}""", "A username is required." },
        { """{"username":""}""", "A username is required." },
        { """{"username":"   "}""", "A username is required." },
        { """{"username":42}""", "'username' must be a JSON value of the type the schema shows." },
        { """{"username":true}""", "'username' must be a JSON value of the type the schema shows." },
        { """{"username":["john"]}""", "'username' must be a JSON value of the type the schema shows." },
        { """{"username":{"name":"john"}}""", "'username' must be a JSON value of the type the schema shows." },
        { """{"username":"ab"}""", "The username must be 3 to 32 characters long." },
        { """{"username":"ａｂ"}""", "The username must be 3 to 32 characters long." },
        { $$"""{"username":"{{new string('a', 33)}}"}""", "The username must be 3 to 32 characters long." },
        { """{"username":"john doe"}""", "The username may contain only letters, digits, '_', '-' and '.'." },
        { """{"username":"john@doe"}""", "The username may contain only letters, digits, '_', '-' and '.'." },
        { """{"username":" john"}""", "The username may contain only letters, digits, '_', '-' and '.'." },
        { """{"username":"john\u0000doe"}""", "The username may contain only letters, digits, '_', '-' and '.'." },
        { """{"username":"..."}""", "The username must contain a letter or a digit." },
        { """{"username":"j\u043Ehn_doe"}""", "The username may not mix Latin, Greek and Cyrillic letters." },
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task An_invalid_username_is_a_400_validation_problem_naming_username(string body, string message)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var before = await app.Store.ListAsync();

        using var response = await client.PostJsonAsync("/register", body);

        var problem = await response.ShouldBeValidationProblemAsync();
        problem.Instance.Should().Be("/register");
        problem.Errors.Should().ContainKey("username").WhoseValue.Should().Equal(message);
        (await app.Store.ListAsync()).Should().Equal(before);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("a.b-c_d")]
    [InlineData("Ünïcödé")]
    [InlineData("用户名")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public async Task Usernames_inside_the_rules_are_accepted(string username)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync(username);

        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task One_server_validates_every_request_alike_with_the_request_type_described_once()
    {
        const int Requests = 300;
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var before = (await app.Store.ListAsync()).Count;

        // Every third body is invalid. The type is described when first asked (parallel first requests may each
        // describe it; one description is kept), and every later request reuses that one.
        var statuses = await Concurrently.RunAsync(Requests, async i =>
        {
            if (i % 3 != 0)
            {
                using var created = await client.RegisterAsync($"user_{i:D3}");
                return created.StatusCode;
            }

            using var response = await client.PostJsonAsync("/register", """{"username":"ab"}""");
            var problem = await response.ShouldBeValidationProblemAsync();
            problem.Instance.Should().Be("/register");
            problem.Errors.Should().ContainKey("username").WhoseValue.Should().Equal("The username must be 3 to 32 characters long.");
            return response.StatusCode;
        });

        statuses.Count(status => status == HttpStatusCode.BadRequest).Should().Be(Requests / 3);
        statuses.Count(status => status == HttpStatusCode.Created).Should().Be(Requests - (Requests / 3));
        (await app.Store.ListAsync()).Should().HaveCount(before + Requests - (Requests / 3));
#pragma warning disable ASP0029 // The validation resolver API is experimental in .NET 10.
        var options = app.Services.GetRequiredService<IOptions<ValidationOptions>>().Value;
        options.TryGetValidatableTypeInfo(typeof(RegisterRequest), out var first).Should().BeTrue();
        options.TryGetValidatableTypeInfo(typeof(RegisterRequest), out var second).Should().BeTrue();
        second.Should().BeSameAs(first);
        options.TryGetValidatableTypeInfo(typeof(string), out _).Should().BeFalse();
#pragma warning restore ASP0029
    }
}
