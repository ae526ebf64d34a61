using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Idempotency;

public sealed class InMemoryIdempotencyStore(IOptions<IdempotencyOptions> options, TimeProvider timeProvider) : IIdempotencyStore
{
    /// <param name="Response">Null while the first request is in flight.</param>
    private sealed record Entry(string Fingerprint, DateTimeOffset ExpiresAt, StoredResponse? Response);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly IdempotencyOptions _options = options.Value;
    private int _count;

    public ValueTask<BeginResult> TryBeginAsync(string key, string fingerprint, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        while (true)
        {
            if (_entries.TryGetValue(key, out var existing))
            {
                if (existing.ExpiresAt <= now)
                {
                    Remove(key, existing);
                    continue;
                }

                return ValueTask.FromResult(
                    existing.Fingerprint != fingerprint ? new BeginResult(BeginOutcome.PayloadMismatch)
                    : existing.Response is null ? new BeginResult(BeginOutcome.InFlight)
                    : new BeginResult(BeginOutcome.Completed, existing.Response));
            }

            // The count is checked before the add, so racing requests can overshoot the capacity by at most
            // their own number; that bounds memory just as well without a lock.
            if (Volatile.Read(ref _count) >= _options.Capacity && RemoveExpired(now) is { } nextExpiry)
            {
                return ValueTask.FromResult(new BeginResult(BeginOutcome.Full, RetryAfter: nextExpiry - now));
            }

            if (_entries.TryAdd(key, new Entry(fingerprint, now + _options.KeyLifetime, null)))
            {
                Interlocked.Increment(ref _count);
                return ValueTask.FromResult(new BeginResult(BeginOutcome.Started));
            }
        }
    }

    public ValueTask CompleteAsync(string key, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(key, out var inFlight) && inFlight is { Response: null } && inFlight.Fingerprint == fingerprint)
        {
            _entries.TryUpdate(key, inFlight with { Response = response }, inFlight);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask AbandonAsync(string key, string fingerprint, CancellationToken cancellationToken = default)
    {
        if (_entries.TryGetValue(key, out var inFlight) && inFlight is { Response: null } && inFlight.Fingerprint == fingerprint)
        {
            Remove(key, inFlight);
        }

        return ValueTask.CompletedTask;
    }

    /// <returns>Null when room was made; otherwise the earliest time a held key expires.</returns>
    private DateTimeOffset? RemoveExpired(DateTimeOffset now)
    {
        var earliest = DateTimeOffset.MaxValue;
        foreach (var (key, entry) in _entries)
        {
            if (entry.ExpiresAt <= now)
            {
                Remove(key, entry);
            }
            else if (entry.ExpiresAt < earliest)
            {
                earliest = entry.ExpiresAt;
            }
        }

        return Volatile.Read(ref _count) < _options.Capacity ? null : earliest;
    }

    private void Remove(string key, Entry entry)
    {
        if (_entries.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
        {
            Interlocked.Decrement(ref _count);
        }
    }
}
