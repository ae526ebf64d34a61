using System.Net;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Conflict409.Api.Tests.Client;

/// <summary>The client's recovery from each kind of 409, against the in-memory server.</summary>
public sealed class RecoveringClientTests
{
    [Fact]
    public async Task A_taken_username_is_recovered_by_choosing_another_name()
    {
        await using var app = new Conflict409App();
        var client = new Conflict409Client(app.CreateClient());

        var taken = await client.RegisterAsync("john_doe");
        var recovered = await client.RegisterRecoveringAsync("john_doe", (name, attempt) => $"{name}_{attempt}");

        taken.Status.Should().Be(HttpStatusCode.Conflict);
        taken.Problem!.Type.Should().Be(ProblemTypes.UsernameTaken);
        taken.Problem.Extension("existingUsername").Should().Be("john_doe");
        recovered.Status.Should().Be(HttpStatusCode.Created);
        recovered.Value!.Username.Should().Be("john_doe_1");
    }

    [Fact]
    public async Task A_lost_race_on_the_profile_is_recovered_by_rereading_and_reapplying()
    {
        await using var app = new Conflict409App();
        var client = new Conflict409Client(app.CreateClient());
        var competitor = new Conflict409Client(app.CreateClient());
        var reads = 0;

        var result = await client.UpdateProfileRecoveringAsync("john_doe", current =>
        {
            if (++reads == 1)
            {
                // Someone else saves between our read and our write.
                competitor.UpdateProfileAsync("john_doe", new ProfileEdit(current.DisplayName, "their bio"), ifMatch: "\"1\"")
                    .GetAwaiter().GetResult().Status.Should().Be(HttpStatusCode.OK);
            }

            return new ProfileEdit("Our name", current.Bio);
        });

        reads.Should().Be(2, "the first attempt lost the race and was re-read");
        result.Status.Should().Be(HttpStatusCode.OK);
        result.ETag.Should().Be("\"3\"");
        result.Value.Should().BeEquivalentTo(new { DisplayName = "Our name", Bio = "their bio", Version = 3 }, "both changes survive");
    }

    [Fact]
    public async Task A_stale_body_version_is_typed_as_a_version_mismatch()
    {
        await using var app = new Conflict409App();
        var client = new Conflict409Client(app.CreateClient());
        (await client.UpdateProfileAsync("john_doe", new ProfileEdit("First", null), version: 1)).Status.Should().Be(HttpStatusCode.OK);

        var stale = await client.UpdateProfileAsync("john_doe", new ProfileEdit("Second", null), version: 1);

        stale.IsProblem(ProblemTypes.VersionMismatch).Should().BeTrue();
        stale.Problem!.Extension("currentVersion").Should().Be("2");
    }

    [Fact]
    public async Task An_in_flight_idempotency_key_is_recovered_by_waiting_retry_after_and_retrying_with_the_same_key()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App();
        var gate = GatedUserStore.Install(app);
        var client = new Conflict409Client(app.CreateClient(), clock);

        var first = client.RegisterIdempotentlyAsync("patient_user", "k-client");
        await gate.Entered;
        var retry = client.RegisterIdempotentlyAsync("patient_user", "k-client");
        var wait = await clock.NextDelayAsync();
        gate.Release();
        var original = await first;
        clock.Advance(wait);
        var replayed = await retry;

        wait.Should().Be(TimeSpan.FromSeconds(1), "the 409 said Retry-After: 1");
        original.Status.Should().Be(HttpStatusCode.Created);
        original.Replayed.Should().BeFalse();
        replayed.Status.Should().Be(HttpStatusCode.Created);
        replayed.Replayed.Should().BeTrue();
        (await app.Store.CountAsync()).Should().Be(3, "the user was registered once");
    }

    [Fact]
    public async Task A_blocking_409_on_get_is_honoured_by_waiting_retry_after_before_retrying()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App()
            .WithSetting("Catalog:RateLimit:PermitLimit", "1")
            .WithSetting("Catalog:RateLimit:Window", "01:00:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        var client = new Conflict409Client(app.CreateClient(), clock);
        (await client.GetProductsAsync(1)).Status.Should().Be(HttpStatusCode.OK);

        var attempt = client.GetProductsHonouringRetryAfterAsync(1, maxAttempts: 2);
        var wait = await clock.NextDelayAsync();
        attempt.IsCompleted.Should().BeFalse("the client must not retry before Retry-After has passed");
        clock.Advance(wait);
        var result = await attempt;

        wait.Should().Be(TimeSpan.FromHours(1), "the window opened on the first request and nothing has passed since");
        result.Status.Should().Be(HttpStatusCode.OK, "the server's window has ended exactly when Retry-After said (issue #19)");
    }

    [Fact]
    public async Task A_referenced_user_is_deleted_after_the_blockers_the_problem_lists()
    {
        await using var app = new Conflict409App();
        var client = new Conflict409Client(app.CreateClient());
        (await client.CreateTeamAsync("platform", "john_doe", ["jane_smith"])).Status.Should().Be(HttpStatusCode.Created);

        var refused = await client.DeleteAsync("/users/jane_smith");
        var blockers = refused.Problem!.Extensions["blockedBy"].EnumerateArray().Select(path => path.GetString()!).ToArray();
        foreach (var blocker in blockers)
        {
            (await client.DeleteAsync(blocker)).Status.Should().Be(HttpStatusCode.NoContent);
        }

        refused.IsProblem(ProblemTypes.UserReferenced).Should().BeTrue();
        blockers.Should().Equal("/teams/platform");
        (await client.DeleteAsync("/users/jane_smith")).Status.Should().Be(HttpStatusCode.NoContent);
    }
}
