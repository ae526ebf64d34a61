using System.Threading.RateLimiting;

namespace Conflict409.Api.Clients;

// Why not the framework's FixedWindowRateLimiter and TokenBucketRateLimiter (issue #19): they refill on a 100 ms
// timer on real time, and the fixed window reports the whole Window as Retry-After, not what is left of it. A client
// that waited exactly the advertised seconds could arrive before the refill and be refused again, and no test could
// put them on a fake clock. These limiters keep the framework's RateLimiter contract (the rate-limiting middleware
// and PartitionedRateLimiter drive them as before) but work out the window or the tokens from the injected
// TimeProvider when a permit is asked for: a refused lease's RetryAfter is the exact time until a permit is free,
// and at that instant it is. RFC 9110 §10.2.3 lets the header round this up to whole seconds (Problems/RetryAfter).

/// <summary>
/// The clock, the lock, the statistics and the leases that <see cref="ExactFixedWindowLimiter"/> and
/// <see cref="ExactTokenBucketLimiter"/> share. No queue: a request that finds no permit is refused at once.
/// </summary>
/// <remarks>
/// Nothing to release (no timer, no queue), so disposing changes nothing, and a late acquire does not throw: the
/// partitioned limiter disposes an idle limiter while a request that has just looked it up may still acquire from
/// it, and that request is then served by a limiter that had all its permits, as a fresh one would serve it.
/// </remarks>
public abstract class ExactRateLimiter : RateLimiter
{
    private static readonly RateLimitLease Granted = new ExactLease(retryAfter: null);

    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly Lock _lock = new();
    private long _successfulLeases;
    private long _failedLeases;

    protected ExactRateLimiter(TimeProvider time, int permitLimit)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        _time = time;
        _origin = time.GetTimestamp();
        PermitLimit = permitLimit;
    }

    /// <summary>The most permits one lease may take, and the most the limiter holds.</summary>
    public int PermitLimit { get; }

    /// <summary>
    /// How long every permit has been available, measured on the injected clock: the partitioned limiter drops a
    /// client's limiter once this passes its idle limit, so the partitions stay as many as the active clients.
    /// </summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = Now;
                return IdleSince(now) is { } since ? now - since : null;
            }
        }
    }

    public override RateLimiterStatistics GetStatistics()
    {
        lock (_lock)
        {
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = AvailablePermits(Now),
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successfulLeases,
                TotalFailedLeases = _failedLeases,
            };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, PermitLimit);
        lock (_lock)
        {
            var now = Now;
            if (TryTake(now, permitCount, out var retryAfter))
            {
                // Asking with 0 only asks whether a permit is free: it is not a lease.
                _successfulLeases += permitCount == 0 ? 0 : 1;
                return Granted;
            }

            _failedLeases++;
            return new ExactLease(retryAfter);
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<RateLimitLease>(cancellationToken)
            : ValueTask.FromResult(AttemptAcquireCore(permitCount));

    /// <summary>Time on the injected clock since this limiter was made: monotonic, unlike the wall clock.</summary>
    private TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Asking for 0 permits asks whether one is free, as the framework's limiters answer it.</summary>
    private protected static bool IsEnough(int available, int permitCount) =>
        permitCount == 0 ? available > 0 : available >= permitCount;

    /// <summary>Takes <paramref name="permitCount"/> permits at <paramref name="now"/> if there are that many.</summary>
    /// <param name="retryAfter">When refused: exactly how long until that many permits are available.</param>
    /// <remarks>Called under the limiter's lock.</remarks>
    private protected abstract bool TryTake(TimeSpan now, int permitCount, out TimeSpan retryAfter);

    /// <summary>Since when (on <see cref="Now"/>'s scale) every permit has been available; null while some are taken.</summary>
    private protected abstract TimeSpan? IdleSince(TimeSpan now);

    private protected abstract int AvailablePermits(TimeSpan now);

    /// <summary>A granted lease, or a refused one that says when to come back.</summary>
    private sealed class ExactLease(TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => retryAfter is null;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = wait;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}

/// <summary>
/// <see cref="ExactRateLimiter.PermitLimit"/> permits per window. A window opens with the first permit taken after
/// the last one ended and lasts <see cref="Window"/>: it covers [start, start + Window), so at its end the client has
/// all its permits again, and a refused client is told exactly the time left until then.
/// </summary>
public sealed class ExactFixedWindowLimiter : ExactRateLimiter
{
    private TimeSpan _windowEnd;
    private int _taken;

    public ExactFixedWindowLimiter(TimeProvider time, int permitLimit, TimeSpan window)
        : base(time, permitLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Window = window;
    }

    public TimeSpan Window { get; }

    private protected override bool TryTake(TimeSpan now, int permitCount, out TimeSpan retryAfter)
    {
        if (now >= _windowEnd && permitCount > 0)
        {
            _windowEnd = now + Window;
            _taken = 0;
        }

        if (IsEnough(AvailablePermits(now), permitCount))
        {
            _taken += permitCount;
            retryAfter = default;
            return true;
        }

        retryAfter = _windowEnd - now;
        return false;
    }

    private protected override TimeSpan? IdleSince(TimeSpan now) => now >= _windowEnd ? _windowEnd : null;

    private protected override int AvailablePermits(TimeSpan now) => now >= _windowEnd ? PermitLimit : PermitLimit - _taken;
}

/// <summary>
/// A bucket of <see cref="ExactRateLimiter.PermitLimit"/> tokens, full at first; a client may spend them all at once
/// and earns them back one per <see cref="TokenPeriod"/>. The period starts when the first token is spent from a full
/// bucket, so a refused client is told exactly the time until its next token.
/// </summary>
public sealed class ExactTokenBucketLimiter : ExactRateLimiter
{
    private int _tokens;

    /// <summary>While the bucket is not full: when the token being earned started to accrue. When full: since when.</summary>
    private TimeSpan _since;

    public ExactTokenBucketLimiter(TimeProvider time, int tokenLimit, TimeSpan tokenPeriod)
        : base(time, tokenLimit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tokenPeriod, TimeSpan.Zero);
        TokenPeriod = tokenPeriod;
        _tokens = tokenLimit;
    }

    public TimeSpan TokenPeriod { get; }

    private protected override bool TryTake(TimeSpan now, int permitCount, out TimeSpan retryAfter)
    {
        Refill(now);
        if (IsEnough(_tokens, permitCount))
        {
            if (_tokens == PermitLimit && permitCount > 0)
            {
                _since = now;
            }

            _tokens -= permitCount;
            retryAfter = default;
            return true;
        }

        retryAfter = _since + Periods(Math.Max(permitCount, 1) - _tokens) - now;
        return false;
    }

    private protected override TimeSpan? IdleSince(TimeSpan now)
    {
        Refill(now);
        return _tokens == PermitLimit ? _since : null;
    }

    private protected override int AvailablePermits(TimeSpan now)
    {
        Refill(now);
        return _tokens;
    }

    /// <summary>Adds the whole tokens earned since <see cref="_since"/>, keeping the part of a period already earned.</summary>
    private void Refill(TimeSpan now)
    {
        if (_tokens == PermitLimit)
        {
            return;
        }

        var earned = (now - _since).Ticks / TokenPeriod.Ticks;
        if (earned >= PermitLimit - _tokens)
        {
            _since += Periods(PermitLimit - _tokens);
            _tokens = PermitLimit;
        }
        else if (earned > 0)
        {
            _since += Periods(earned);
            _tokens += (int)earned;
        }
    }

    // In ticks: TimeSpan's own multiplication goes through a double and could be off by a tick.
    private TimeSpan Periods(long count) => TimeSpan.FromTicks(TokenPeriod.Ticks * count);
}
