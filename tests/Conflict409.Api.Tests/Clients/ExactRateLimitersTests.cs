using System.Threading.RateLimiting;
using Conflict409.Api.Clients;
using Microsoft.Extensions.Time.Testing;

namespace Conflict409.Api.Tests.Clients;

/// <summary>The limiters behind every Retry-After a rate limit sends (issue #19), on a fake clock, at their edges.</summary>
public sealed class ExactRateLimitersTests
{
    private static readonly TimeSpan Tick = TimeSpan.FromTicks(1);
    private static readonly TimeSpan TenSeconds = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:05")]
    [InlineData("00:00:09.9999999")]
    public void A_fixed_window_refuses_with_exactly_the_time_left_and_serves_at_the_window_end(string offset)
    {
        var clock = new FakeTimeProvider();
        using var limiter = new ExactFixedWindowLimiter(clock, permitLimit: 3, TenSeconds);
        limiter.AttemptAcquire().IsAcquired.Should().BeTrue();
        clock.Advance(TimeSpan.Parse(offset, System.Globalization.CultureInfo.InvariantCulture));
        limiter.AttemptAcquire().IsAcquired.Should().BeTrue();
        limiter.AttemptAcquire().IsAcquired.Should().BeTrue();

        using var refused = limiter.AttemptAcquire();

        var left = TenSeconds - TimeSpan.Parse(offset, System.Globalization.CultureInfo.InvariantCulture);
        refused.IsAcquired.Should().BeFalse();
        RetryAfterOf(refused).Should().Be(left);
        clock.Advance(left - Tick);
        using var early = limiter.AttemptAcquire();
        early.IsAcquired.Should().BeFalse("one tick before the window's end is still inside it");
        RetryAfterOf(early).Should().Be(Tick);
        clock.Advance(Tick);
        Enumerable.Range(0, 3).Select(_ => limiter.AttemptAcquire().IsAcquired).Should().Equal(true, true, true);
        RetryAfterOf(limiter.AttemptAcquire()).Should().Be(TenSeconds, "the window the first of them opened has just begun");
    }

    [Fact]
    public void A_fixed_window_is_idle_from_its_end_so_the_partitioned_limiter_can_drop_it()
    {
        var clock = new FakeTimeProvider();
        using var limiter = new ExactFixedWindowLimiter(clock, permitLimit: 2, TenSeconds);
        limiter.IdleDuration.Should().Be(TimeSpan.Zero, "a new limiter has every permit");
        limiter.AttemptAcquire().IsAcquired.Should().BeTrue();

        clock.Advance(TenSeconds - Tick);
        limiter.IdleDuration.Should().BeNull();
        clock.Advance(Tick + TimeSpan.FromSeconds(11));
        limiter.IdleDuration.Should().Be(TimeSpan.FromSeconds(11));
    }

    [Fact]
    public void Asking_for_no_permit_probes_without_opening_a_window()
    {
        var clock = new FakeTimeProvider();
        using var limiter = new ExactFixedWindowLimiter(clock, permitLimit: 1, TenSeconds);

        limiter.AttemptAcquire(0).IsAcquired.Should().BeTrue();
        clock.Advance(TimeSpan.FromSeconds(4));
        limiter.AttemptAcquire().IsAcquired.Should().BeTrue();
        using var probe = limiter.AttemptAcquire(0);

        probe.IsAcquired.Should().BeFalse();
        RetryAfterOf(probe).Should().Be(TenSeconds, "the window opened with the permit, not with the probe");
        limiter.GetStatistics().Should().BeEquivalentTo(new RateLimiterStatistics
        {
            CurrentAvailablePermits = 0,
            CurrentQueuedCount = 0,
            TotalSuccessfulLeases = 1,
            TotalFailedLeases = 1,
        });
    }

    [Fact]
    public void More_permits_than_the_limit_can_never_be_granted_and_are_an_error()
    {
        using var limiter = new ExactFixedWindowLimiter(new FakeTimeProvider(), permitLimit: 2, TenSeconds);

        limiter.Invoking(it => it.AttemptAcquire(3)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:01.2")]
    [InlineData("00:00:02.3999999")]
    public void A_token_bucket_refuses_with_exactly_the_time_to_the_next_token_and_serves_then(string offset)
    {
        var clock = new FakeTimeProvider();
        var period = TimeSpan.FromSeconds(2.4);
        using var limiter = new ExactTokenBucketLimiter(clock, tokenLimit: 5, period);
        limiter.AttemptAcquire().IsAcquired.Should().BeTrue();
        clock.Advance(TimeSpan.Parse(offset, System.Globalization.CultureInfo.InvariantCulture));
        limiter.AttemptAcquire(4).IsAcquired.Should().BeTrue();

        using var refused = limiter.AttemptAcquire();

        var left = period - TimeSpan.Parse(offset, System.Globalization.CultureInfo.InvariantCulture);
        RetryAfterOf(refused).Should().Be(left);
        clock.Advance(left - Tick);
        RetryAfterOf(limiter.AttemptAcquire()).Should().Be(Tick);
        clock.Advance(Tick);
        limiter.AttemptAcquire().IsAcquired.Should().BeTrue("one token came back, exactly one period after the first was spent");
        RetryAfterOf(limiter.AttemptAcquire()).Should().Be(period, "the next token is a whole period away");
    }

    [Fact]
    public void A_token_bucket_earns_its_tokens_back_one_per_period_and_keeps_a_period_half_earned()
    {
        var clock = new FakeTimeProvider();
        var period = TimeSpan.FromSeconds(2);
        using var limiter = new ExactTokenBucketLimiter(clock, tokenLimit: 4, period);
        limiter.AttemptAcquire(4).IsAcquired.Should().BeTrue();

        clock.Advance(TimeSpan.FromSeconds(5));
        limiter.GetStatistics()!.CurrentAvailablePermits.Should().Be(2);
        using var refused = limiter.AttemptAcquire(3);

        RetryAfterOf(refused).Should().Be(TimeSpan.FromSeconds(1), "the third token is half earned at 5 s and due at 6 s");
        limiter.AttemptAcquire(2).IsAcquired.Should().BeTrue();
        RetryAfterOf(limiter.AttemptAcquire(4)).Should().Be(TimeSpan.FromSeconds(7), "four tokens are due at 6, 8, 10 and 12 s");
    }

    [Fact]
    public void A_token_bucket_is_idle_from_the_instant_it_is_full_again()
    {
        var clock = new FakeTimeProvider();
        using var limiter = new ExactTokenBucketLimiter(clock, tokenLimit: 3, TimeSpan.FromSeconds(1));
        limiter.IdleDuration.Should().Be(TimeSpan.Zero);
        clock.Advance(TimeSpan.FromSeconds(30));
        limiter.AttemptAcquire(2).IsAcquired.Should().BeTrue();

        clock.Advance(TimeSpan.FromSeconds(2) - Tick);
        limiter.IdleDuration.Should().BeNull();
        clock.Advance(Tick);
        limiter.IdleDuration.Should().Be(TimeSpan.Zero);
        clock.Advance(TimeSpan.FromSeconds(11));
        limiter.IdleDuration.Should().Be(TimeSpan.FromSeconds(11));
        limiter.AttemptAcquire(3).IsAcquired.Should().BeTrue("the bucket does not fill past its limit while idle");
        limiter.AttemptAcquire().IsAcquired.Should().BeFalse();
    }

    [Fact]
    public async Task Many_clients_at_once_take_exactly_the_permits_there_are()
    {
        var clock = new FakeTimeProvider();
        using var window = new ExactFixedWindowLimiter(clock, permitLimit: 100, TenSeconds);
        using var bucket = new ExactTokenBucketLimiter(clock, tokenLimit: 100, TimeSpan.FromSeconds(1));

        var leases = await Task.WhenAll(Enumerable.Range(0, 500).Select(_ => Task.Run(async () =>
            (Window: (await window.AcquireAsync()).IsAcquired, Bucket: bucket.AttemptAcquire().IsAcquired))));

        leases.Count(lease => lease.Window).Should().Be(100);
        leases.Count(lease => lease.Bucket).Should().Be(100);
        window.GetStatistics().Should().BeEquivalentTo(new { TotalSuccessfulLeases = 100, TotalFailedLeases = 400 });
        bucket.GetStatistics().Should().BeEquivalentTo(new { TotalSuccessfulLeases = 100, TotalFailedLeases = 400 });
    }

    private static TimeSpan RetryAfterOf(RateLimitLease lease)
    {
        lease.IsAcquired.Should().BeFalse();
        lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter).Should().BeTrue();
        lease.MetadataNames.Should().Equal(MetadataName.RetryAfter.Name);
        return retryAfter;
    }
}
