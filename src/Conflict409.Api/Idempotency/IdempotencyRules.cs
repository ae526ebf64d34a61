namespace Conflict409.Api.Idempotency;

/// <summary>
/// What an Idempotency-Key does and how it is written, stated once: lesson 3, <c>POST /register</c>'s description,
/// the header's description in the OpenAPI document, the malformed-key problem and lesson 3's walk-through
/// (Idempotency/README.md) quote these texts (RuleTextTests holds the copies together, and that the length here is
/// <see cref="IdempotencyKey.MaxLength"/>).
/// </summary>
public static class IdempotencyRules
{
    public const string Semantics =
        "The same key and payload after the first request completed replays its response (Idempotent-Replayed: true), " +
        "so a retry after a lost response is not a spurious 409; the same key while the first request is still in " +
        "flight is 409 idempotency-key-in-use with Retry-After; the same key with another payload is 422 " +
        "idempotency-key-reused. A key belongs to its client and expires after Idempotency:KeyLifetime.";

    public const string KeyFormat =
        "The key is an RFC 8941 string such as \"k-1\" (with the quotes); a bare token of the same characters (k-1) " +
        "is accepted too, as many clients send one, and names the same key. 1 to 255 printable ASCII characters.";

    /// <summary>How to see the in-flight 409 by hand; a test holds its bound to <see cref="IdempotencyHold.MaxMs"/>.</summary>
    public const string Hold =
        "To see the in-flight 409 by hand, add ?holdMs=8000 (0 to 8000) to a request with an Idempotency-Key: the " +
        "server holds the key in flight that long before registering, so the same request sent from a second " +
        "terminal or tab meanwhile gets 409 idempotency-key-in-use with a Retry-After that covers the rest of the " +
        "hold. Wait that many seconds and send it again with the same key and payload: the first response is " +
        "replayed. holdMs without an Idempotency-Key is a 400.";
}
