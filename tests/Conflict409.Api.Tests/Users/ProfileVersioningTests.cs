using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Users;

public sealed class ProfileVersioningTests
{
    [Fact]
    public async Task A_user_is_served_with_a_strong_etag_of_its_version()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/users/john_doe");

        response.Headers.ETag.Should().Be(new EntityTagHeaderValue("\"1\""));
        (await response.Content.ReadFromJsonAsync<UserResponse>())!.Version.Should().Be(1);
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData("*")]
    [InlineData("\"7\", \"1\"")]
    public async Task An_update_whose_if_match_holds_returns_200_with_the_next_etag(string ifMatch)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(UpdateProfile("john_doe", new { displayName = "John", bio = "Hi" }, ifMatch));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.ETag.Should().Be(new EntityTagHeaderValue("\"2\""));
        var user = await response.Content.ReadFromJsonAsync<UserResponse>();
        user.Should().BeEquivalentTo(new { Username = "john_doe", DisplayName = "John", Bio = "Hi", Version = 2 });
        (await client.GetFromJsonAsync<UserResponse>("/users/john_doe"))!.DisplayName.Should().Be("John");
    }

    [Theory]
    [InlineData("\"2\"")]
    [InlineData("W/\"1\"")]
    public async Task An_update_whose_if_match_is_stale_or_weak_is_a_412_problem_and_changes_nothing(string ifMatch)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(UpdateProfile("john_doe", new { displayName = "John" }, ifMatch));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionFailed);
        problem.Type.Should().Be("/problems/precondition-failed");
        problem.Title.Should().Be("A precondition in the request headers did not hold.");
        problem.Detail.Should().Be($"If-Match {ifMatch} does not match the current ETag \"1\".");
        problem.Instance.Should().Be("/users/john_doe/profile");
        problem.Extensions["currentVersion"]!.ToString().Should().Be("1");
        problem.ExtensionString("currentETag").Should().Be("\"1\"");
        (await client.GetFromJsonAsync<UserResponse>("/users/john_doe"))!.Version.Should().Be(1);
    }

    [Fact]
    public async Task An_update_with_the_current_body_version_returns_200()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(UpdateProfile("john_doe", new { displayName = "John", version = 1 }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Headers.ETag.Should().Be(new EntityTagHeaderValue("\"2\""));
    }

    [Fact]
    public async Task An_update_with_a_stale_body_version_is_a_409_problem_carrying_the_current_version()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        (await client.SendAsync(UpdateProfile("john_doe", new { displayName = "First", version = 1 }))).StatusCode.Should().Be(HttpStatusCode.OK);

        using var response = await client.SendAsync(UpdateProfile("john_doe", new { displayName = "Second", version = 1 }));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/version-mismatch");
        problem.Title.Should().Be("The resource changed since you read it.");
        problem.Detail.Should().Be(
            "The update is based on version 1, but 'john_doe' is at version 2. GET it again, re-apply your change, and send version 2.");
        problem.Instance.Should().Be("/users/john_doe/profile");
        problem.Extensions["currentVersion"]!.ToString().Should().Be("2");
        problem.ExtensionString("currentETag").Should().Be("\"2\"");
        (await client.GetFromJsonAsync<UserResponse>("/users/john_doe"))!.DisplayName.Should().Be("First");
    }

    [Fact]
    public async Task An_update_with_neither_if_match_nor_version_is_a_428_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(UpdateProfile("john_doe", new { displayName = "John" }));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.PreconditionRequired);
        problem.Type.Should().Be("/problems/precondition-required");
        problem.Title.Should().Be("This request must be conditional.");
        problem.Detail.Should().Be("Say which version you edit: send If-Match: \"1\" (from GET /users/john_doe) or \"version\": 1 in the body.");
    }

    [Theory]
    [InlineData("\"1\"")]
    [InlineData(null)]
    public async Task An_update_of_an_unknown_user_is_a_404_whatever_the_preconditions(string? ifMatch)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(UpdateProfile("nobody", new { displayName = "X" }, ifMatch));

        (await response.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Type.Should().Be("/problems/user-not-found");
    }

    [Fact]
    public async Task A_malformed_if_match_is_a_400_problem_of_its_own_listed_type()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(UpdateProfile("john_doe", new { displayName = "X" }, "1"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Type.Should().Be("/problems/invalid-if-match");
        problem.Title.Should().Be("The If-Match header is malformed.");
        problem.Detail.Should().Be("If-Match must be '*' or a list of quoted entity tags, e.g. If-Match: \"1\".");
        problem.Instance.Should().Be("/users/john_doe/profile");
    }

    [Fact]
    public async Task A_profile_that_breaks_the_limits_is_a_400_validation_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(UpdateProfile("john_doe", new { displayName = new string('x', 65), version = 0 }));

        var problem = await response.ShouldBeValidationProblemAsync();
        problem.Errors.Keys.Should().BeEquivalentTo("displayName", "version");
    }

    [Theory]
    [InlineData(true, HttpStatusCode.PreconditionFailed)]
    [InlineData(false, HttpStatusCode.Conflict)]
    public async Task Of_two_hundred_concurrent_updates_from_one_version_exactly_one_wins(bool useIfMatch, HttpStatusCode losers)
    {
        const int Updaters = 200;
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var statuses = await Concurrently.SendAsync(Updaters, i => client.SendAsync(useIfMatch
            ? UpdateProfile("john_doe", new { displayName = $"writer {i}" }, "\"1\"")
            : UpdateProfile("john_doe", new { displayName = $"writer {i}", version = 1 })));

        statuses.Count(status => status == HttpStatusCode.OK).Should().Be(1);
        statuses.Count(status => status == losers).Should().Be(Updaters - 1);
        (await client.GetFromJsonAsync<UserResponse>("/users/john_doe"))!.Version.Should().Be(2);
    }

    [Fact]
    public async Task Clients_that_reread_and_retry_after_a_conflict_lose_no_update_and_apply_none_twice()
    {
        const int Writers = 40;
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        await Concurrently.RunAsync(Writers, async i =>
        {
            // Bounded: with 40 writers each succeeds within 40 rounds of re-reading.
            for (var attempt = 0; attempt < 10 * Writers; attempt++)
            {
                using var read = await client.GetAsync("/users/john_doe");
                using var write = await client.SendAsync(UpdateProfile("john_doe", new { displayName = $"writer {i}" }, read.Headers.ETag!.Tag));
                if (write.StatusCode == HttpStatusCode.OK)
                {
                    return attempt;
                }

                write.StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
            }

            throw new InvalidOperationException($"writer {i} never got its update in");
        });

        (await client.GetFromJsonAsync<UserResponse>("/users/john_doe"))!.Version.Should().Be(1 + Writers);
    }
}
