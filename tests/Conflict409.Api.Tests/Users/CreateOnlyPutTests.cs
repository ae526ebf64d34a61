using System.Net;
using System.Net.Http.Headers;
using Conflict409.Api.Tests.Infrastructure;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Users;

public sealed class CreateOnlyPutTests
{
    [Fact]
    public async Task Put_with_if_none_match_star_creates_a_new_user()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(PutUser("put_user", "*"));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
        response.Headers.Location.Should().Be(new Uri("/users/put_user", UriKind.Relative));
        response.Headers.ETag.Should().Be(new EntityTagHeaderValue("\"1\""));
        (await client.RegisterAsync("PUT_USER")).StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("jane_smith")]
    [InlineData("ＪＡＮＥ_smith")]
    public async Task Put_with_if_none_match_star_on_an_existing_name_is_a_412_problem(string username)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(PutUser(username, "*"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        problem.Type.Should().Be("/problems/precondition-failed");
        problem.Detail.Should().Be(
            $"If-None-Match: * failed: the username '{username}' is already taken by 'jane_smith'. POST /register would answer 409 for the same reason.");
        problem.ExtensionString("username").Should().Be("jane_smith");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("\"1\"")]
    public async Task Put_without_if_none_match_star_is_a_428_problem(string? ifNoneMatch)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(PutUser("put_user", ifNoneMatch));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        problem.Detail.Should().Be("PUT /users/{username} only creates: send If-None-Match: * (or use POST /register).");
    }

    [Fact]
    public async Task Put_with_an_invalid_username_is_a_400_validation_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(PutUser("a b", "*"));

        (await response.ShouldBeValidationProblemAsync()).Errors["username"].Should()
            .Equal("The username may contain only letters, digits, '_', '-' and '.'.");
    }
}
