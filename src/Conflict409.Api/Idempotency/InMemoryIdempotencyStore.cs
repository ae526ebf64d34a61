using Microsoft.Extensions.Options;

namespace Conflict409.Api.Idempotency;

/// <summary>
/// Keys per client, behind one lock (each operation is a few hash lookups). Every key lives for the same
/// lifetime, so each client's keys expire in the order they were claimed: a queue per client gives its oldest
/// live key, which is both what expires next and the honest Retry-After for a client over its quota.
/// </summary>
public sealed class InMemoryIdempotencyStore(IOptions<IdempotencyOptions> options, TimeProvider timeProvider) : IIdempotencyStore
{
    private sealed class Entry(IdempotencyScope scope, string fingerprint, DateTimeOffset expiresAt, DateTimeOffset dueAt)
    {
        public IdempotencyScope Scope { get; } = scope;

        public string Fingerprint { get; } = fingerprint;

        public DateTimeOffset ExpiresAt { get; } = expiresAt;

        /// <summary>When the first request is expected to have completed.</summary>
        public DateTimeOffset DueAt { get; } = dueAt;

        /// <summary>Null while the first request is in flight.</summary>
        public StoredResponse? Response { get; set; }
    }

    /// <summary>One client's keys in the order they were claimed; entries released early are skipped when met.</summary>
    private sealed class ClientKeys
    {
        public Queue<Entry> InClaimOrder { get; } = new();

        public int Live { get; set; }
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<IdempotencyScope, Entry> _entries = [];
    private readonly Dictionary<string, ClientKeys> _clients = new(StringComparer.Ordinal);
    private readonly IdempotencyOptions _options = options.Value;

    public ValueTask<BeginResult> TryBeginAsync(
        IdempotencyScope scope, string fingerprint, TimeSpan expectedDuration, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        lock (_lock)
        {
            if (_clients.TryGetValue(scope.Client, out var held))
            {
                RemoveExpired(held, now);
            }

            var keys = _clients.GetValueOrDefault(scope.Client);

            if (_entries.TryGetValue(scope, out var existing))
            {
                return ValueTask.FromResult(
                    existing.Fingerprint != fingerprint ? new BeginResult(BeginOutcome.PayloadMismatch)
                    : existing.Response is null ? new BeginResult(BeginOutcome.InFlight, RetryAfter: existing.DueAt - now)
                    : new BeginResult(BeginOutcome.Completed, existing.Response));
            }

            if (keys is not null && keys.Live >= _options.PerClientCapacity)
            {
                return ValueTask.FromResult(new BeginResult(BeginOutcome.QuotaExceeded, RetryAfter: OldestLive(keys)!.ExpiresAt - now));
            }

            if (_entries.Count >= _options.Capacity && RemoveAllExpired(now) is { } nextExpiry)
            {
                return ValueTask.FromResult(new BeginResult(BeginOutcome.Full, RetryAfter: nextExpiry - now));
            }

            if (keys is null)
            {
                keys = new ClientKeys();
                _clients.Add(scope.Client, keys);
            }

            var entry = new Entry(scope, fingerprint, now + _options.KeyLifetime, now + expectedDuration);
            _entries.Add(scope, entry);
            keys.InClaimOrder.Enqueue(entry);
            keys.Live++;
            return ValueTask.FromResult(new BeginResult(BeginOutcome.Started));
        }
    }

    public ValueTask CompleteAsync(IdempotencyScope scope, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(scope, out var inFlight) && inFlight is { Response: null } && inFlight.Fingerprint == fingerprint)
            {
                inFlight.Response = response;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask AbandonAsync(IdempotencyScope scope, string fingerprint, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(scope, out var inFlight) && inFlight is { Response: null } && inFlight.Fingerprint == fingerprint)
            {
                Release(inFlight);
            }
        }

        return ValueTask.CompletedTask;
    }

    private bool IsLive(Entry entry) => _entries.TryGetValue(entry.Scope, out var current) && ReferenceEquals(current, entry);

    /// <summary>The client's oldest key still held, dropping released ones met on the way.</summary>
    private Entry? OldestLive(ClientKeys keys)
    {
        while (keys.InClaimOrder.TryPeek(out var oldest))
        {
            if (IsLive(oldest))
            {
                return oldest;
            }

            keys.InClaimOrder.Dequeue();
        }

        return null;
    }

    private void RemoveExpired(ClientKeys keys, DateTimeOffset now)
    {
        while (OldestLive(keys) is { } oldest && oldest.ExpiresAt <= now)
        {
            Release(oldest);
        }
    }

    /// <returns>Null when room was made; otherwise the earliest time a held key expires.</returns>
    private DateTimeOffset? RemoveAllExpired(DateTimeOffset now)
    {
        var earliest = DateTimeOffset.MaxValue;
        foreach (var keys in _clients.Values.ToArray())
        {
            RemoveExpired(keys, now);
            if (OldestLive(keys) is { } oldest && oldest.ExpiresAt < earliest)
            {
                earliest = oldest.ExpiresAt;
            }
        }

        return _entries.Count < _options.Capacity ? null : earliest;
    }

    private void Release(Entry entry)
    {
        _entries.Remove(entry.Scope);
        var keys = _clients[entry.Scope.Client];
        if (--keys.Live == 0)
        {
            // A client with no live key is forgotten, so the table is as small as the set of clients holding keys.
            _clients.Remove(entry.Scope.Client);
        }
    }
}
