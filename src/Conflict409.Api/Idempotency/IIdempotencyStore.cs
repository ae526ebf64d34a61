namespace Conflict409.Api.Idempotency;

/// <summary>What a completed request answered, byte for byte, so that a retry with the same key gets it again.</summary>
/// <param name="StatusCode">The original status.</param>
/// <param name="ContentType">The original Content-Type.</param>
/// <param name="Location">The original Location header, if any.</param>
/// <param name="Body">The original body.</param>
public sealed record StoredResponse(int StatusCode, string? ContentType, string? Location, byte[] Body);

public enum BeginOutcome
{
    /// <summary>The key is new: the caller owns it and must complete or abandon it.</summary>
    Started,
    InFlight,
    Completed,
    PayloadMismatch,
    Full,
}

/// <param name="Outcome">What the key's state allows.</param>
/// <param name="Response">The stored response when completed.</param>
/// <param name="RetryAfter">When full, how long until a key expires and frees a place.</param>
public readonly record struct BeginResult(BeginOutcome Outcome, StoredResponse? Response = null, TimeSpan RetryAfter = default);

public interface IIdempotencyStore
{
    /// <summary>Claims the key for a request with this payload fingerprint, atomically.</summary>
    ValueTask<BeginResult> TryBeginAsync(string key, string fingerprint, CancellationToken cancellationToken = default);

    ValueTask CompleteAsync(string key, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default);

    /// <summary>Releases a key whose request failed unexpectedly, so that a retry can run it again.</summary>
    ValueTask AbandonAsync(string key, string fingerprint, CancellationToken cancellationToken = default);
}
