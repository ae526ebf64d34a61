namespace Conflict409.Api.Idempotency;

/// <summary>What a completed request answered, byte for byte, so that a retry with the same key gets it again.</summary>
/// <param name="StatusCode">The original status.</param>
/// <param name="ContentType">The original Content-Type.</param>
/// <param name="Location">The original Location header, if any.</param>
/// <param name="Body">The original body.</param>
public sealed record StoredResponse(int StatusCode, string? ContentType, string? Location, byte[] Body);

/// <summary>
/// Which key: a client's own. The IETF draft makes a key unique per client, not per server, so two learners
/// who both send the "k-1" of lesson 3's walk-through (Idempotency/README.md) name two different operations and
/// never see each other's responses.
/// </summary>
/// <param name="Client">The sender, as <see cref="Clients.ClientAddress"/> names it.</param>
/// <param name="Key">The Idempotency-Key, parsed.</param>
public readonly record struct IdempotencyScope(string Client, string Key);

public enum BeginOutcome
{
    /// <summary>The key is new: the caller owns it and must complete or abandon it.</summary>
    Started,
    InFlight,
    Completed,
    PayloadMismatch,

    /// <summary>This client holds as many live keys as one client may; others are unaffected.</summary>
    QuotaExceeded,

    /// <summary>The server holds as many keys as it may, from all clients together.</summary>
    Full,
}

/// <param name="Outcome">What the key's state allows.</param>
/// <param name="Response">The stored response when completed.</param>
/// <param name="RetryAfter">
/// When in flight, how long until the first request is expected to have completed (it may be past: then zero or less);
/// when full or over the quota, how long until a key that counts expires and frees a place.
/// </param>
public readonly record struct BeginResult(BeginOutcome Outcome, StoredResponse? Response = null, TimeSpan RetryAfter = default);

public interface IIdempotencyStore
{
    /// <summary>Claims the key for a request with this payload fingerprint, atomically.</summary>
    /// <param name="expectedDuration">
    /// How long the claiming request expects to keep the key in flight (its hold, if any, and its work): a request
    /// that finds the key in flight is told how much of it is left, for an honest Retry-After.
    /// </param>
    ValueTask<BeginResult> TryBeginAsync(
        IdempotencyScope scope, string fingerprint, TimeSpan expectedDuration, CancellationToken cancellationToken = default);

    ValueTask CompleteAsync(IdempotencyScope scope, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default);

    /// <summary>Releases a key whose request failed unexpectedly, so that a retry can run it again.</summary>
    ValueTask AbandonAsync(IdempotencyScope scope, string fingerprint, CancellationToken cancellationToken = default);
}
