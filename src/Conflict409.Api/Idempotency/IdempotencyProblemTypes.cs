using Conflict409.Api.Problems;

namespace Conflict409.Api.Idempotency;

/// <summary>
/// The problem types of lesson 3 (retried requests), which only this folder's endpoints send. The lesson's module declares them
/// (<see cref="Lessons.ILessonModule.DefinedProblemTypes"/>), which is how they are listed at <c>GET /problems</c>.
/// </summary>
public static class IdempotencyProblemTypes
{
    public static readonly ProblemType IdempotencyKeyInUse = new(
        "idempotency-key-in-use",
        StatusCodes.Status409Conflict,
        "A request with this Idempotency-Key is still being processed.",
        "The IETF Idempotency-Key draft answers 409 when a retry arrives while the first request with the same " +
        "key is still in flight: running both could do the work twice. Wait (Retry-After) and retry with the " +
        "same key and payload; once the first request completes, the retry gets its response replayed.");

    public static readonly ProblemType IdempotencyKeyReused = new(
        "idempotency-key-reused",
        StatusCodes.Status422UnprocessableEntity,
        "This Idempotency-Key was used with a different payload.",
        "An Idempotency-Key identifies one operation. Reusing it with another payload is a client bug, which " +
        "the IETF draft answers with 422. Generate a fresh key for every new operation.");

    public static readonly ProblemType InvalidIdempotencyKey = new(
        "invalid-idempotency-key",
        StatusCodes.Status400BadRequest,
        "The Idempotency-Key header is malformed.",
        IdempotencyRules.KeyFormat);

    public static readonly ProblemType IdempotencyStoreFull = new(
        "idempotency-store-full",
        StatusCodes.Status503ServiceUnavailable,
        "Too many idempotency keys are held.",
        "The server keeps a bounded number of idempotency keys until they expire. It is full, so it cannot " +
        "promise exactly-once processing right now. Retry after Retry-After seconds.");

    public static readonly ProblemType IdempotencyQuotaExceeded = new(
        "idempotency-quota-exceeded",
        StatusCodes.Status429TooManyRequests,
        "This client holds too many idempotency keys.",
        "Idempotency keys are scoped per client (the IETF draft makes a key unique per client), and each client " +
        "may hold a bounded number of live keys (Idempotency:PerClientCapacity) so that one client minting a " +
        "fresh key for every request cannot crowd out everyone else. Only this client is refused; retry after " +
        "Retry-After seconds, when its oldest key expires, and use a new key per operation, not per request.");
}
