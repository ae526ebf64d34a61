using System.Net;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Progress;

/// <summary>A scripted good client and a scripted bad client for each lesson, and the exact board each one earns.</summary>
public sealed class LessonGradingTests
{
    private readonly FakeTimeProvider _clock = new(ProgressApp.Start);

    private static Task<HttpResponseMessage> RegisterWithKeyAsync(HttpClient client, string username, string key) =>
        client.SendAsync(Register(username, $"\"{key}\""));

    private static Task<HttpResponseMessage> UpdateProfileAsync(HttpClient client, string username, string? ifMatch, long? version = null) =>
        client.SendAsync(UpdateProfile(username, new { displayName = "Ada", version }, ifMatch));

    [Fact]
    public async Task Lesson_0_a_new_name_after_username_taken_is_recovered()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");

        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.RegisterAsync("ada_lovelace")).StatusCode.Should().Be(HttpStatusCode.Created);

        var board = await ada.BoardAsync();
        board.Learner.Should().Be("ada");
        board.IdentifiedBy.Should().Be("header");
        board.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: recovered, 1 conflict(s), 1 recovery(ies)"));
        board.Events.Select(e => $"{e.Request} {e.Status} {e.ProblemType} [{string.Join(", ", e.Judgements)}]").Should().Equal(
            "POST /register 409 /problems/username-taken [conflict seen]",
            "POST /register 201  [recovered]");
    }

    [Fact]
    public async Task Lesson_0_the_same_name_sent_again_is_a_blind_retry_and_not_recovered()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");

        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        var board = await ada.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected(
            "duplicate-registration: conflict-seen, 3 conflict(s), 0 recovery(ies), blind-retry×2"));
        var mistake = board.Lessons[0].Mistakes.Single();
        mistake.Title.Should().Contain("blind retry");
        mistake.Fix.Should().Contain("register another name");
    }

    [Fact]
    public async Task Lesson_1_a_get_then_a_conditional_update_after_412_is_recovered()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");
        using var bob = app.Learner("bob");

        var read = await ada.GetAsync("/users/john_doe");
        (await UpdateProfileAsync(bob, "john_doe", read.Headers.ETag!.Tag)).StatusCode.Should().Be(HttpStatusCode.OK);
        (await UpdateProfileAsync(ada, "john_doe", read.Headers.ETag!.Tag)).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        var reread = await ada.GetAsync("/users/JOHN_DOE");
        (await UpdateProfileAsync(ada, "john_doe", reread.Headers.ETag!.Tag)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected("versioning: recovered, 1 conflict(s), 1 recovery(ies)"));
        (await ada.BoardAsync("bob")).Lines().Should().Equal(ProgressApp.Expected(), "bob's update was fresh");
    }

    [Fact]
    public async Task Lesson_1_a_stale_version_resent_without_a_get_is_a_mistake_each_time()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");
        using var bob = app.Learner("bob");
        (await UpdateProfileAsync(bob, "john_doe", ifMatch: null, version: 1)).StatusCode.Should().Be(HttpStatusCode.OK);

        (await UpdateProfileAsync(ada, "john_doe", ifMatch: null, version: 1)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await UpdateProfileAsync(ada, "john_doe", ifMatch: null, version: 1)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        // Copying currentETag from the problem "works", but overwrites bob's change unseen.
        (await UpdateProfileAsync(ada, "john_doe", "\"2\"")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected(
            "versioning: conflict-seen, 2 conflict(s), 0 recovery(ies), update-without-reread×2"));
    }

    [Fact]
    public async Task Lesson_1_the_lessons_own_412_then_409_then_428_are_three_conflicts_and_no_mistake()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");
        (await ada.RegisterAsync("ada_profile")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await UpdateProfileAsync(ada, "ada_profile", "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK);

        // GET /lessons/versioning lists these in this order: each shows another way a stale update is refused.
        (await UpdateProfileAsync(ada, "ada_profile", "\"1\"")).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await UpdateProfileAsync(ada, "ada_profile", ifMatch: null, version: 1)).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await UpdateProfileAsync(ada, "ada_profile", ifMatch: null)).StatusCode.Should().Be(HttpStatusCode.PreconditionRequired);
        var reread = await ada.GetAsync("/users/ada_profile");
        (await UpdateProfileAsync(ada, "ada_profile", reread.Headers.ETag!.Tag)).StatusCode.Should().Be(HttpStatusCode.OK);

        var board = await ada.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected("versioning: recovered, 3 conflict(s), 1 recovery(ies)"));
        board.Events.SelectMany(e => e.Judgements).Should().NotContain(judgement => judgement.StartsWith("mistake"));
    }

    [Fact]
    public async Task Lesson_1_the_same_stale_if_match_sent_twice_is_a_mistake()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");
        (await ada.RegisterAsync("ada_profile")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await UpdateProfileAsync(ada, "ada_profile", "\"1\"")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await UpdateProfileAsync(ada, "ada_profile", "\"1\"")).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);
        (await UpdateProfileAsync(ada, "ada_profile", "\"1\"")).StatusCode.Should().Be(HttpStatusCode.PreconditionFailed);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected(
            "versioning: conflict-seen, 2 conflict(s), 0 recovery(ies), update-without-reread×1"));
    }

    [Fact]
    public async Task Lesson_2_deleting_the_blockers_first_then_the_user_is_recovered()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");
        (await ada.SendAsync(CreateTeam("Platform", "john_doe", "jane_smith")))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        (await ada.DeleteAsync("/users/jane_smith")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.DeleteAsync("/teams/PLATFORM")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await ada.DeleteAsync("/users/jane_smith")).StatusCode.Should().Be(HttpStatusCode.NoContent);

        var board = await ada.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected("referenced-resource: recovered, 1 conflict(s), 1 recovery(ies)"));
        board.Events.Select(e => $"{e.Request} {e.Status}").Should().Equal(
            "POST /teams 201", "DELETE /users/jane_smith 409", "DELETE /teams/PLATFORM 204", "DELETE /users/jane_smith 204");
    }

    [Fact]
    public async Task Lesson_2_deleting_the_user_again_before_its_blockers_is_a_mistake()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");
        (await ada.SendAsync(CreateTeam("platform", "john_doe", "jane_smith")))
            .StatusCode.Should().Be(HttpStatusCode.Created);

        (await ada.DeleteAsync("/users/jane_smith")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.DeleteAsync("/users/jane_smith")).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected(
            "referenced-resource: conflict-seen, 2 conflict(s), 0 recovery(ies), delete-before-blockers×1"));
    }

    [Fact]
    public async Task Lesson_3_the_same_key_after_retry_after_is_replayed_and_recovered()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        var gate = GatedUserStore.Install(app);
        using var ada = app.Learner("ada");

        var first = RegisterWithKeyAsync(ada, "patient_ada", "k-1");
        await gate.Entered;
        var inUse = await RegisterWithKeyAsync(ada, "patient_ada", "k-1");
        gate.Release();
        (await first).StatusCode.Should().Be(HttpStatusCode.Created);
        inUse.StatusCode.Should().Be(HttpStatusCode.Conflict);
        _clock.Advance(inUse.Headers.RetryAfter!.Delta!.Value);
        var retry = await RegisterWithKeyAsync(ada, "patient_ada", "k-1");

        retry.Headers.GetValues("Idempotent-Replayed").Should().Equal("true");
        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected("idempotency-key: recovered, 1 conflict(s), 1 recovery(ies)"));
    }

    [Fact]
    public async Task Lesson_3_retrying_too_soon_then_with_a_new_key_are_two_mistakes()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        var gate = GatedUserStore.Install(app);
        using var ada = app.Learner("ada");

        var first = RegisterWithKeyAsync(ada, "hasty_ada", "k-1");
        await gate.Entered;
        (await RegisterWithKeyAsync(ada, "hasty_ada", "k-1")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        _clock.Advance(TimeSpan.FromMilliseconds(500));
        (await RegisterWithKeyAsync(ada, "hasty_ada", "k-1")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        // A new key for the same name: the store has not got the first one yet, so this registers it.
        (await RegisterWithKeyAsync(ada, "hasty_ada", "k-2")).StatusCode.Should().Be(HttpStatusCode.Created);
        gate.Release();
        (await first).StatusCode.Should().Be(HttpStatusCode.Conflict, "the new key did the work first: the duplicate the lesson warns of");

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected(
            "duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)",
            "idempotency-key: conflict-seen, 2 conflict(s), 0 recovery(ies), new-key-retry×1, key-retried-too-soon×1"));
    }

    [Fact]
    public async Task Lesson_3_by_hand_a_held_request_a_409_meanwhile_and_the_same_key_after_retry_after_is_recovered_without_mistakes()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithClock(clock);
        using var firstTerminal = app.Learner("ada");
        using var secondTerminal = app.Learner("ada");

        var first = firstTerminal.SendAsync(HeldRegister("held_ada", "\"k-1\"", "8000"));
        await clock.DelaysStartedAsync(1, TimeSpan.FromSeconds(8));
        clock.Advance(TimeSpan.FromSeconds(3));
        var inUse = await RegisterWithKeyAsync(secondTerminal, "held_ada", "k-1");
        inUse.StatusCode.Should().Be(HttpStatusCode.Conflict);
        clock.Advance(inUse.Headers.RetryAfter!.Delta!.Value);
        (await first).StatusCode.Should().Be(HttpStatusCode.Created);
        var retry = await RegisterWithKeyAsync(secondTerminal, "held_ada", "k-1");

        IsReplay(retry).Should().BeTrue();
        var board = await firstTerminal.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected("idempotency-key: recovered, 1 conflict(s), 1 recovery(ies)"));
        board.Events.Select(e => $"{e.Request} {e.Status} {e.ProblemType} [{string.Join(", ", e.Judgements)}]").Should().Equal(
            "POST /register 409 /problems/idempotency-key-in-use [conflict seen]",
            "POST /register 201  []",
            "POST /register 201  [recovered]");
    }

    [Fact]
    public async Task Lesson_3_the_request_holding_the_key_is_not_a_retry_even_when_it_started_after_the_409_started()
    {
        // The scripted race: two requests sent at once, where the one that loses the key started first.
        var clock = new ObservedClock();
        var gate = new FirstClaimGate();
        await using var app = new Conflict409App().WithClock(clock)
            .Decorate<IIdempotencyStore>(inner => new GatedIdempotencyStore(inner, gate));
        using var ada = app.Learner("ada");

        var loser = RegisterWithKeyAsync(ada, "raced_ada", "k-1");
        await gate.Entered;
        clock.Advance(TimeSpan.FromMilliseconds(100));
        var winner = ada.SendAsync(HeldRegister("raced_ada", "\"k-1\"", "1000"));
        await clock.DelaysStartedAsync(1, TimeSpan.FromSeconds(1));
        gate.Release();
        (await loser).StatusCode.Should().Be(HttpStatusCode.Conflict);
        clock.Advance(TimeSpan.FromSeconds(1));
        (await winner).StatusCode.Should().Be(HttpStatusCode.Created);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected("idempotency-key: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
    }

    [Fact]
    public async Task Lesson_3_by_hand_a_retry_before_retry_after_is_too_soon_and_another_key_is_a_new_key_retry()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithClock(clock);
        using var ada = app.Learner("ada");

        var first = ada.SendAsync(HeldRegister("held_ada", "\"k-1\"", "8000"));
        await clock.DelaysStartedAsync(1, TimeSpan.FromSeconds(8));
        (await RegisterWithKeyAsync(ada, "held_ada", "k-1")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        clock.Advance(TimeSpan.FromSeconds(2));
        (await RegisterWithKeyAsync(ada, "held_ada", "k-1")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        clock.Advance(TimeSpan.FromMilliseconds(100));
        (await RegisterWithKeyAsync(ada, "other_ada", "k-2")).StatusCode.Should().Be(HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromSeconds(6));
        (await first).StatusCode.Should().Be(HttpStatusCode.Created);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected(
            "idempotency-key: conflict-seen, 2 conflict(s), 0 recovery(ies), new-key-retry×1, key-retried-too-soon×1"));
    }

    /// <summary>Holds the first claim of a key until the test opens the gate: that request has arrived, but not at its key.</summary>
    private sealed class FirstClaimGate
    {
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _claims;

        public Task Entered => _entered.Task;

        public void Release() => _released.TrySetResult();

        public async ValueTask PassAsync()
        {
            if (Interlocked.Increment(ref _claims) == 1)
            {
                _entered.TrySetResult();
                await _released.Task;
            }
        }
    }

    private sealed class GatedIdempotencyStore(IIdempotencyStore inner, FirstClaimGate gate) : IIdempotencyStore
    {
        public async ValueTask<BeginResult> TryBeginAsync(
            IdempotencyScope scope, string fingerprint, TimeSpan expectedDuration, CancellationToken cancellationToken = default)
        {
            await gate.PassAsync();
            return await inner.TryBeginAsync(scope, fingerprint, expectedDuration, cancellationToken);
        }

        public ValueTask CompleteAsync(IdempotencyScope scope, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default) =>
            inner.CompleteAsync(scope, fingerprint, response, cancellationToken);

        public ValueTask AbandonAsync(IdempotencyScope scope, string fingerprint, CancellationToken cancellationToken = default) =>
            inner.AbandonAsync(scope, fingerprint, cancellationToken);
    }

    [Fact]
    public async Task Lesson_3_a_new_key_after_422_is_recovered_and_the_same_key_again_is_a_mistake()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");
        using var bob = app.Learner("bob");

        (await RegisterWithKeyAsync(ada, "first_name", "k-ada")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await RegisterWithKeyAsync(ada, "second_name", "k-ada")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await RegisterWithKeyAsync(ada, "second_name", "k-ada-2")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await RegisterWithKeyAsync(bob, "bob_first", "k-bob")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await RegisterWithKeyAsync(bob, "bob_second", "k-bob")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await RegisterWithKeyAsync(bob, "bob_third", "k-bob")).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected("idempotency-key: recovered, 1 conflict(s), 1 recovery(ies)"));
        (await ada.BoardAsync("bob")).Lines().Should().Equal(ProgressApp.Expected(
            "idempotency-key: conflict-seen, 2 conflict(s), 0 recovery(ies), key-reused-again×1"));
    }

    [Fact]
    public async Task Lesson_4_the_first_request_after_retry_after_is_recovered()
    {
        await using var app = new Conflict409App().WithClock(_clock)
            .WithSetting("Catalog:RateLimit:PermitLimit", "1")
            .WithSetting("Catalog:RateLimit:Window", "01:00:00");
        using var scraper = app.Learner("ada", address: "127.0.0.2");

        (await scraper.GetAsync("/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK);
        var blocked = await scraper.GetAsync("/catalog/products?page=2");
        blocked.StatusCode.Should().Be(HttpStatusCode.Conflict);
        _clock.Advance(blocked.Headers.RetryAfter!.Delta!.Value);
        (await scraper.GetAsync("/catalog/products?page=2")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await scraper.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected("blocking-get: recovered, 1 conflict(s), 1 recovery(ies)"));
    }

    [Fact]
    public async Task Lesson_4_every_request_before_retry_after_is_counted()
    {
        await using var app = new Conflict409App().WithClock(_clock)
            .WithSetting("Catalog:RateLimit:PermitLimit", "1")
            .WithSetting("Catalog:RateLimit:Window", "01:00:00");
        using var scraper = app.Learner("ada", address: "127.0.0.2");

        (await scraper.GetAsync("/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK);
        for (var page = 1; page <= 4; page++)
        {
            (await scraper.GetAsync($"/catalog/products?page={page}")).StatusCode.Should().Be(HttpStatusCode.Conflict);
            _clock.Advance(TimeSpan.FromSeconds(1));
        }

        (await scraper.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected(
            "blocking-get: conflict-seen, 4 conflict(s), 0 recovery(ies), requested-too-soon×3"));
    }
}
