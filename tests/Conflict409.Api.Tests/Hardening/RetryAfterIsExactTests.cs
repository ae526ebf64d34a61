using System.Globalization;
using System.Net;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Hardening;

/// <summary>
/// Issue #19: a client that waits exactly the Retry-After of its first refusal is served, wherever in the window
/// its burst fell; one tick before the instant the server has in mind, it is still refused (the header rounds that
/// instant up to whole seconds, never down). With the limits as shipped, on a fake clock, over the app's HTTP client.
/// </summary>
public sealed class RetryAfterIsExactTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);

    // A whole second, so that the PostgreSQL store, which keeps microseconds, holds every instant exactly.
    private static FakeTimeProvider NewClock() => new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("00:00:00", 10)]
    [InlineData("00:00:05", 5)]
    [InlineData("00:00:09.9999999", 1)]
    public async Task Lesson_4s_scraper_that_waits_the_retry_after_of_its_first_409_is_served_wherever_its_burst_fell(
        string offset, int expectedRetryAfter)
    {
        // appsettings.json: 10 requests per 10 s per client, refused with lesson 4's 409.
        var clock = NewClock();
        await using var app = new Conflict409App().WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateClient();
        var burstAt = TimeSpan.Parse(offset, CultureInfo.InvariantCulture);
        (await client.GetAsync("/catalog/products")).StatusCode.Should().Be(HttpStatusCode.OK, "the first request opens the window");
        clock.Advance(burstAt);
        (await Concurrently.SendAsync(9, _ => client.GetAsync("/catalog/products")))
            .Should().AllSatisfy(status => status.Should().Be(HttpStatusCode.OK));

        var waited = await RetryAfterSecondsAsync(await client.GetAsync("/catalog/products"), HttpStatusCode.Conflict);

        waited.Should().Be(expectedRetryAfter);
        var exact = TimeSpan.FromSeconds(10) - burstAt;
        clock.Advance(exact - Tick);
        (await RetryAfterSecondsAsync(await client.GetAsync("/catalog/products"), HttpStatusCode.Conflict))
            .Should().Be(1, "one tick before the window ends, the client is refused and told to wait the rounded-up tick");
        clock.Advance(TimeSpan.FromSeconds(waited) - (exact - Tick));
        (await Concurrently.SendAsync(10, _ => client.GetAsync("/catalog/products")))
            .Should().AllSatisfy(status => status.Should().Be(HttpStatusCode.OK), "after exactly Retry-After, a whole new window");
        (await RetryAfterSecondsAsync(await client.GetAsync("/catalog/products"), HttpStatusCode.Conflict)).Should().Be(10);
    }

    [Theory]
    [InlineData("00:00:00", 3)]
    [InlineData("00:00:01.2", 2)]
    [InlineData("00:00:02.3999999", 1)]
    public async Task A_client_that_waits_the_retry_after_of_its_first_registration_429_is_served_wherever_its_burst_fell(
        string offset, int expectedRetryAfter)
    {
        // appsettings.json: a burst of 250 registrations per client, then one more every 10 min / 250 = 2.4 s.
        var period = TimeSpan.FromSeconds(2.4);
        var clock = NewClock();
        await using var app = new Conflict409App().WithShippedFairnessLimits()
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateClient();
        var burstAt = TimeSpan.Parse(offset, CultureInfo.InvariantCulture);
        (await client.RegisterAsync("burst_0")).StatusCode.Should().Be(HttpStatusCode.Created, "the first token spent starts the refill");
        clock.Advance(burstAt);
        (await Concurrently.SendAsync(249, i => client.RegisterAsync($"burst_{i + 1}")))
            .Should().AllSatisfy(status => status.Should().Be(HttpStatusCode.Created));

        var waited = await RetryAfterSecondsAsync(await client.RegisterAsync("patient"), HttpStatusCode.TooManyRequests);

        waited.Should().Be(expectedRetryAfter);
        var exact = period - burstAt;
        clock.Advance(exact - Tick);
        (await RetryAfterSecondsAsync(await client.RegisterAsync("patient"), HttpStatusCode.TooManyRequests))
            .Should().Be(1, "one tick before the next token, the client is refused and told to wait the rounded-up tick");
        clock.Advance(TimeSpan.FromSeconds(waited) - (exact - Tick));
        (await client.RegisterAsync("patient")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await RetryAfterSecondsAsync(await client.RegisterAsync("greedy"), HttpStatusCode.TooManyRequests))
            .Should().Be(2, "one token came back, and the next is due 4.8 s after the burst began, under 2 s from now");
    }

    [Theory]
    [InlineData("00:00:00", 600)]
    [InlineData("00:05:00", 300)]
    [InlineData("00:09:59.9999999", 1)]
    public async Task A_client_that_waits_the_retry_after_of_its_idempotency_quota_429_can_claim_a_key_exactly_then(
        string offset, int expectedRetryAfter)
    {
        var clock = NewClock();
        await using var app = new Conflict409App()
            .WithSetting("Idempotency:PerClientCapacity", "2")
            .WithSetting("Idempotency:KeyLifetime", "00:10:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateClient();
        var secondKeyAt = TimeSpan.Parse(offset, CultureInfo.InvariantCulture);
        (await client.SendAsync(Register("keeper_1", "\"k-1\""))).StatusCode.Should().Be(HttpStatusCode.Created);
        clock.Advance(secondKeyAt);
        (await client.SendAsync(Register("keeper_2", "\"k-2\""))).StatusCode.Should().Be(HttpStatusCode.Created);

        var waited = await RetryAfterSecondsAsync(await client.SendAsync(Register("keeper_3", "\"k-3\"")), HttpStatusCode.TooManyRequests);

        waited.Should().Be(expectedRetryAfter, "the oldest key expires 10 min after it was claimed");
        var exact = TimeSpan.FromMinutes(10) - secondKeyAt;
        clock.Advance(exact - Tick);
        (await RetryAfterSecondsAsync(await client.SendAsync(Register("keeper_3", "\"k-3\"")), HttpStatusCode.TooManyRequests))
            .Should().Be(1, "one tick before it expires, the oldest key still counts");
        clock.Advance(TimeSpan.FromSeconds(waited) - (exact - Tick));
        using var served = await client.SendAsync(Register("keeper_3", "\"k-3\""));
        served.StatusCode.Should().Be(HttpStatusCode.Created, "a key that expires exactly now no longer counts");
        IsReplay(served).Should().BeFalse();
    }

    /// <summary>Asserts a refusal with <paramref name="status"/> and returns its Retry-After, in seconds.</summary>
    private static async Task<long> RetryAfterSecondsAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var problem = await response.ShouldBeProblemAsync(status);
            var seconds = (long)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds;
            response.Headers.RetryAfter.Delta.Should().Be(TimeSpan.FromSeconds(seconds), "Retry-After is whole seconds");
            problem.Extensions.Should().ContainKey("retryAfterSeconds");
            return seconds;
        }
    }
}
