using System.Net;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Idempotency;

public sealed class IdempotencyKeyTests
{
    private static async Task<int> CountUsersAsync(Conflict409App app) => (await app.Store.ListAsync()).Count;

    [Fact]
    public async Task A_retry_after_completion_replays_the_original_201_and_registers_once()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var first = await client.SendAsync(Register("retry_me", "\"k-1\""));
        using var retry = await client.SendAsync(Register("retry_me", "\"k-1\""));

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        IsReplay(first).Should().BeFalse();
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        IsReplay(retry).Should().BeTrue();
        retry.Headers.Location.Should().Be(first.Headers.Location);
        retry.Content.Headers.ContentType.Should().Be(first.Content.Headers.ContentType);
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
        (await CountUsersAsync(app)).Should().Be(3);
    }

    [Fact]
    public async Task A_retry_of_a_conflict_replays_the_original_409()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var first = await client.SendAsync(Register("john_doe", "\"k-2\""));
        using var retry = await client.SendAsync(Register("john_doe", "\"k-2\""));

        (await first.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type.Should().Be("/problems/username-taken");
        IsReplay(retry).Should().BeTrue();
        (await retry.Content.ReadAsStringAsync()).Should().Be(await first.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_bare_token_names_the_same_key_as_its_quoted_form()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        (await client.SendAsync(Register("token_user", "k-3"))).StatusCode.Should().Be(HttpStatusCode.Created);
        using var retry = await client.SendAsync(Register("token_user", "\"k-3\""));

        IsReplay(retry).Should().BeTrue();
    }

    [Fact]
    public async Task The_same_key_with_a_different_payload_is_a_422_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        (await client.SendAsync(Register("first_user", "\"k-4\""))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var response = await client.SendAsync(Register("second_user", "\"k-4\""));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.Type.Should().Be("/problems/idempotency-key-reused");
        problem.Title.Should().Be("This Idempotency-Key was used with a different payload.");
        problem.Detail.Should().Be("Idempotency-Key \"k-4\" was first used with a different payload. Use a new key for a new operation.");
        problem.Instance.Should().Be("/register");
        problem.ExtensionString("idempotencyKey").Should().Be("k-4");
        (await client.GetAsync("/users/second_user")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_same_key_while_the_first_request_is_in_flight_is_a_409_with_retry_after()
    {
        await using var app = new Conflict409App();
        var gate = GatedUserStore.Install(app);
        using var client = app.CreateClient();

        var first = client.SendAsync(Register("slow_user", "\"k-5\""));
        await gate.Entered;
        using var concurrent = await client.SendAsync(Register("slow_user", "\"k-5\""));
        gate.Release();
        using var original = await first;
        using var retry = await client.SendAsync(Register("slow_user", "\"k-5\""));

        var problem = await concurrent.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/idempotency-key-in-use");
        problem.Title.Should().Be("A request with this Idempotency-Key is still being processed.");
        problem.Detail.Should().Be(
            "A request with Idempotency-Key \"k-5\" is still being processed. Retry with the same key and payload after it completes.");
        concurrent.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        original.StatusCode.Should().Be(HttpStatusCode.Created);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        IsReplay(retry).Should().BeTrue();
    }

    [Fact]
    public async Task A_held_key_is_in_flight_for_its_hold_and_a_second_request_meanwhile_gets_the_rest_of_it_as_retry_after()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateClient();

        var first = client.SendAsync(HeldRegister("held_user", "\"k-held\"", "8000"));
        await clock.DelaysStartedAsync(1, TimeSpan.FromSeconds(8));
        clock.Advance(TimeSpan.FromSeconds(2));
        using var concurrent = await client.SendAsync(Register("held_user", "\"k-held\""));

        var problem = await concurrent.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/idempotency-key-in-use");
        problem.Title.Should().Be("A request with this Idempotency-Key is still being processed.");
        problem.Detail.Should().Be(
            "A request with Idempotency-Key \"k-held\" is still being processed. Retry with the same key and payload after it completes.");
        problem.Instance.Should().Be("/register");
        problem.ExtensionString("idempotencyKey").Should().Be("k-held");
        concurrent.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(7), "6 s of hold are left, and the work after it, rounded up");
        first.IsCompleted.Should().BeFalse("the hold has 6 s to run");

        clock.Advance(TimeSpan.FromSeconds(1));
        using var early = await client.SendAsync(Register("held_user", "\"k-held\""));
        (await early.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type.Should().Be("/problems/idempotency-key-in-use");
        early.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(6), "each 409 says what is left of the same hold");

        clock.Advance(TimeSpan.FromSeconds(6));
        using var original = await first;
        using var retry = await client.SendAsync(Register("held_user", "\"k-held\""));

        original.StatusCode.Should().Be(HttpStatusCode.Created);
        IsReplay(original).Should().BeFalse();
        retry.StatusCode.Should().Be(HttpStatusCode.Created, "a client that waits exactly Retry-After finds the response stored");
        IsReplay(retry).Should().BeTrue();
        (await retry.Content.ReadAsStringAsync()).Should().Be(await original.Content.ReadAsStringAsync());
        (await CountUsersAsync(app)).Should().Be(3);
    }

    [Theory]
    [InlineData("8001", "\"k-hold\"")]
    [InlineData("-1", "\"k-hold\"")]
    [InlineData("soon", "\"k-hold\"")]
    [InlineData("99999999999", "\"k-hold\"")]
    [InlineData("100&holdMs=200", "\"k-hold\"")]
    [InlineData("1000", null)]
    public async Task A_hold_out_of_range_or_without_a_key_is_a_400_problem_that_claims_nothing(string holdMs, string? key)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var refused = await client.SendAsync(HeldRegister("held_user", key, holdMs));
        using var plain = await client.SendAsync(Register("held_user", "\"k-hold\""));

        var problem = await refused.ShouldBeValidationProblemAsync();
        problem.Errors.Should().ContainKey("holdMs").WhoseValue.Should().ContainSingle()
            .Which.Should().Be(key is null
                ? "holdMs holds an Idempotency-Key in flight: send the Idempotency-Key header too, or leave holdMs out."
                : "holdMs must be a whole number of milliseconds from 0 to 8000.");
        plain.StatusCode.Should().Be(HttpStatusCode.Created);
        IsReplay(plain).Should().BeFalse("the refused request neither registered nor claimed the key");
    }

    [Fact]
    public async Task A_hold_of_zero_behaves_as_no_hold()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(HeldRegister("unheld_user", "\"k-zero\"", "0"));

        response.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_burst_of_retries_with_one_key_runs_the_registration_exactly_once()
    {
        const int Attempts = 200;
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var results = await Concurrently.RunAsync(Attempts, async _ =>
        {
            using var response = await client.SendAsync(Register("burst_user", "\"k-burst\""));
            return (response.StatusCode, Replayed: IsReplay(response));
        });

        results.Count(result => result is { StatusCode: HttpStatusCode.Created, Replayed: false }).Should().Be(1);
        results.Should().OnlyContain(result =>
            result.StatusCode == HttpStatusCode.Created || result.StatusCode == HttpStatusCode.Conflict);
        results.Should().NotContain(result => result.StatusCode == HttpStatusCode.Conflict && result.Replayed,
            "a 409 here can only mean 'in flight', never a replay");
        (await CountUsersAsync(app)).Should().Be(3);
    }

    [Fact]
    public async Task A_key_expires_after_its_lifetime_and_can_then_be_used_afresh()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new Conflict409App()
            .WithSetting("Idempotency:KeyLifetime", "00:10:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateClient();
        (await client.SendAsync(Register("early_user", "\"k-6\""))).StatusCode.Should().Be(HttpStatusCode.Created);

        clock.Advance(TimeSpan.FromMinutes(9));
        (await client.SendAsync(Register("late_user", "\"k-6\""))).StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);

        clock.Advance(TimeSpan.FromMinutes(1));
        using var afresh = await client.SendAsync(Register("late_user", "\"k-6\""));
        afresh.StatusCode.Should().Be(HttpStatusCode.Created);
        IsReplay(afresh).Should().BeFalse();
    }

    [Fact]
    public async Task When_the_key_store_is_full_a_new_key_is_a_503_problem_until_one_expires()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new Conflict409App()
            .WithSetting("Idempotency:Capacity", "2")
            .WithSetting("Idempotency:KeyLifetime", "00:01:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateClient();
        (await client.SendAsync(Register("user_a", "a"))).StatusCode.Should().Be(HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromSeconds(30));
        (await client.SendAsync(Register("user_b", "b"))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var full = await client.SendAsync(Register("user_c", "c"));
        var problem = await full.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.Type.Should().Be("/problems/idempotency-store-full");
        full.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(30));
        (await client.RegisterAsync("no_key_user")).StatusCode.Should().Be(HttpStatusCode.Created, "requests without a key are unaffected");

        clock.Advance(TimeSpan.FromSeconds(30));
        (await client.SendAsync(Register("user_c", "c"))).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Without_the_header_registration_behaves_exactly_as_before()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var first = await client.SendAsync(Register("plain_user", null));
        using var second = await client.SendAsync(Register("plain_user", null));

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        second.StatusCode.Should().Be(HttpStatusCode.Conflict);
        IsReplay(second).Should().BeFalse();
    }

    [Theory]
    [InlineData("\"unterminated")]
    [InlineData("\"\"")]
    [InlineData("\"bad\\escape\"")]
    [InlineData("two words")]
    [InlineData("a,b")]
    [InlineData("\"tab\there\"")]
    public async Task A_malformed_key_is_a_400_problem_and_nothing_is_registered(string key)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(Register("keyed_user", key));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        problem.Type.Should().Be("/problems/invalid-idempotency-key");
        (await client.GetAsync("/users/keyed_user")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_key_longer_than_255_characters_or_sent_twice_is_a_400_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        using var twice = Register("keyed_user", "\"one\"");
        twice.Headers.TryAddWithoutValidation("Idempotency-Key", "\"two\"");

        using var tooLong = await client.SendAsync(Register("keyed_user", new string('k', 256)));
        using var duplicated = await client.SendAsync(twice);

        (await tooLong.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Type.Should().Be("/problems/invalid-idempotency-key");
        (await duplicated.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Type.Should().Be("/problems/invalid-idempotency-key");
    }

    [Fact]
    public async Task A_request_that_failed_unexpectedly_releases_its_key_for_a_retry()
    {
        await using var app = new Conflict409App()
            .DecorateUserStore(inner => new FailingOnceUserStore(inner));
        using var client = app.CreateClient();

        using var failed = await client.SendAsync(Register("unlucky_user", "\"k-7\""));
        using var retry = await client.SendAsync(Register("unlucky_user", "\"k-7\""));

        failed.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        retry.StatusCode.Should().Be(HttpStatusCode.Created);
        IsReplay(retry).Should().BeFalse();
    }

    private sealed class FailingOnceUserStore(IUserStore inner) : DelegatingUserStore(inner)
    {
        private int _calls;

        public override ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new InvalidOperationException("the store blinked")
                : base.TryAddAsync(user, cancellationToken);
    }
}
