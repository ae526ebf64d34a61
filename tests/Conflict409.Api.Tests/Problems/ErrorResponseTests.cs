using System.Net;
using System.Net.Http.Json;
using System.Text;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;

namespace Conflict409.Api.Tests.Problems;

/// <summary>
/// Requests the framework rejects before a handler runs must still get problem+json, and the same one in
/// Development (where the test host runs and bad requests throw) and Production.
/// </summary>
public sealed class ErrorResponseTests
{
    public static TheoryData<string> Environments => ["Development", "Production"];

    public static TheoryData<string, string, string> MalformedBodies => new()
    {
        { "Development", """{"username":""", "The request body is not valid JSON (line 1, byte 13)." },
        { "Production", """{"username":""", "The request body is not valid JSON (line 1, byte 13)." },
        { "Development", """{"username":"a",}""", "The request body is not valid JSON (line 1, byte 17)." },
        { "Production", "not json", "The request body is not valid JSON (line 1, byte 2)." },
        { "Development", "[]", "The request body must be a JSON object." },
        { "Production", "\"john_doe\"", "The request body must be a JSON object." },
        { "Development", "", "The request body is missing or cannot be read as this endpoint's JSON object." },
        { "Production", "", "The request body is missing or cannot be read as this endpoint's JSON object." },
    };

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task A_malformed_or_empty_body_is_a_400_problem(string environment, string body, string detail)
    {
        await using var app = new Conflict409App(environment);
        using var client = app.CreateClient();

        using var response = await client.PostJsonAsync("/register", body);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Type.Should().Be("https://tools.ietf.org/html/rfc9110#section-15.5.1");
        problem.Title.Should().Be("Bad Request");
        problem.Detail.Should().Be(detail);
        problem.Instance.Should().Be("/register");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task A_wrong_json_type_is_a_validation_problem_in_every_environment(string environment)
    {
        await using var app = new Conflict409App(environment);
        using var client = app.CreateClient();

        using var response = await client.PostJsonAsync("/register", """{"username":42}""");

        var problem = await response.ShouldBeValidationProblemAsync();
        problem.Detail.Should().Be("'username' has the wrong JSON type.");
        problem.Instance.Should().Be("/register");
        problem.Errors.Should().BeEquivalentTo(new Dictionary<string, string[]>
        {
            ["username"] = ["'username' must be a JSON value of the type the schema shows."],
        });
    }

    public static TheoryData<string, string, string, string, string> UnboundQueryValues => new()
    {
        {
            "Development", "/catalog/products?page=abc", "page",
            "Query parameter 'page' must be an integer from 1 to 1000; got 'abc'.", "'page' must be an integer from 1 to 1000."
        },
        {
            "Production", "/catalog/products?page=abc", "page",
            "Query parameter 'page' must be an integer from 1 to 1000; got 'abc'.", "'page' must be an integer from 1 to 1000."
        },
        {
            "Development", "/catalog/products?page=99999999999", "page",
            "Query parameter 'page' must be an integer from 1 to 1000; got '99999999999'.", "'page' must be an integer from 1 to 1000."
        },
        {
            "Production", "/users?limit=" + new string('x', 100), "limit",
            $"Query parameter 'limit' must be an integer from 1 to 100; got '{new string('x', 40)}…'.", "'limit' must be an integer from 1 to 100."
        },
    };

    [Theory]
    [MemberData(nameof(UnboundQueryValues))]
    public async Task A_query_value_of_the_wrong_form_is_a_400_problem_naming_the_parameter_not_the_body(
        string environment, string path, string parameter, string detail, string error)
    {
        await using var app = new Conflict409App(environment);
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        var problem = await response.ShouldBeValidationProblemAsync();
        problem.Detail.Should().Be(detail);
        problem.Instance.Should().Be(path[..path.IndexOf('?', StringComparison.Ordinal)]);
        problem.Errors.Should().BeEquivalentTo(new Dictionary<string, string[]> { [parameter] = [error] });
    }

    public static TheoryData<string, string, string> DuplicateKeys => new()
    {
        { "Development", """{"username":"abc","username":"abd"}""", "username" },
        { "Production", """{"username":"abc","username":"abd"}""", "username" },
        { "Development", """{"username":"abc","Username":"abd"}""", "Username" },
    };

    [Theory]
    [MemberData(nameof(DuplicateKeys))]
    public async Task A_duplicate_key_is_a_400_problem_naming_the_key_not_its_type(string environment, string body, string key)
    {
        await using var app = new Conflict409App(environment);
        using var client = app.CreateClient();

        using var response = await client.PostJsonAsync("/register", body);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Type.Should().Be("https://tools.ietf.org/html/rfc9110#section-15.5.1");
        problem.Title.Should().Be("Bad Request");
        problem.Detail.Should().Be($"The request body has the duplicate key '{key}' (keys are matched ignoring case): " +
            "send each member once, so that the server need not guess which value you meant.");
        problem.Instance.Should().Be("/register");
        problem.Extensions.Should().NotContainKey("errors");
        (await client.GetFromJsonAsync<UserPage>("/users"))!.Items.Should().HaveCount(2, "nothing was registered");
    }

    [Theory]
    [InlineData("Development", "text/plain")]
    [InlineData("Production", "text/plain")]
    [InlineData("Development", "application/x-www-form-urlencoded")]
    [InlineData("Production", "application/xml")]
    public async Task A_body_that_is_not_json_is_a_415_problem(string environment, string contentType)
    {
        await using var app = new Conflict409App(environment);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/register",
            new StringContent("""{"username":"new_user"}""", Encoding.UTF8, contentType));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        problem.Type.Should().Be("https://tools.ietf.org/html/rfc9110#section-15.5.16");
        problem.Title.Should().Be("Unsupported Media Type");
        problem.Detail.Should().Be("Send the request body as JSON with 'Content-Type: application/json'.");
        problem.Instance.Should().Be("/register");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task A_body_over_the_kestrel_limit_is_a_413_problem(string environment)
    {
        // The body-size limit belongs to Kestrel, which the in-memory test server does not emulate:
        // run this test on a real loopback socket.
        await using var app = new Conflict409App(environment);
        app.OnRealSockets().StartServer();
        using var client = app.CreateClient();
        var oversized = $$"""{"username":"{{new string('a', 5_000)}}"}""";

        using var response = await client.PostJsonAsync("/register", oversized);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        problem.Type.Should().Be("https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14");
        problem.Title.Should().Be("Content Too Large");
        problem.Detail.Should().Be("The request body is larger than this server accepts.");
        problem.Instance.Should().Be("/register");
        (await client.GetFromJsonAsync<UserPage>("/users"))!.Items
            .Should().HaveCount(2, "nothing was registered");
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/no-such-thing");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.Title.Should().Be("Not Found");
        problem.Instance.Should().Be("/no-such-thing");
    }

    [Fact]
    public async Task A_wrong_method_is_a_405_problem_with_allow()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.DeleteAsync("/register");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.MethodNotAllowed);
        problem.Title.Should().Be("Method Not Allowed");
        response.Content.Headers.Allow.Should().Equal("POST");
    }

    [Theory]
    [MemberData(nameof(Environments))]
    public async Task An_unexpected_exception_is_a_500_problem_without_internals(string environment)
    {
        await using var app = new Conflict409App(environment)
            .DecorateUserStore(inner => new ThrowingUserStore(inner));
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync("new_user");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        problem.Title.Should().Be("An error occurred while processing your request.");
        problem.Instance.Should().Be("/register");
        var raw = await response.Content.ReadAsStringAsync();
        raw.Should().NotContain(ThrowingUserStore.Secret).And.NotContain("   at ").And.NotContain("exception");
        app.Logs.GetSnapshot().Should().Contain(record =>
            record.Level == Microsoft.Extensions.Logging.LogLevel.Error && record.Exception is InvalidOperationException,
            "the server logs what it does not tell the client");
    }

    private sealed class ThrowingUserStore(IUserStore inner) : DelegatingUserStore(inner)
    {
        public const string Secret = "connection string with a password";

        public override ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException(Secret);
    }
}
