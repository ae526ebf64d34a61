namespace Conflict409.Api.Idempotency;

/// <summary>
/// What an Idempotency-Key does, stated once: lesson 3, <c>POST /register</c>'s description and the header's
/// description in the OpenAPI document, and the README quote this text (a test holds the copies together).
/// </summary>
public static class IdempotencyRules
{
    public const string Semantics =
        "The same key and payload after the first request completed replays its response (Idempotent-Replayed: true), " +
        "so a retry after a lost response is not a spurious 409; the same key while the first request is still in " +
        "flight is 409 idempotency-key-in-use with Retry-After; the same key with another payload is 422 " +
        "idempotency-key-reused. A key belongs to its client and expires after Idempotency:KeyLifetime.";
}
