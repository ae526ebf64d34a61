using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Idempotency;

/// <summary>The problems of lesson 3, built in one place for the filter and the OpenAPI examples.</summary>
public static class IdempotencyProblems
{
    public static ProblemHttpResult InvalidKey() =>
        IdempotencyProblemTypes.InvalidIdempotencyKey.Result(
            $"Idempotency-Key must be one quoted string (RFC 8941) or token of 1 to {IdempotencyKey.MaxLength} printable ASCII characters.");

    public static ProblemHttpResult KeyInUse(string key) =>
        IdempotencyProblemTypes.IdempotencyKeyInUse.Result(
            $"A request with Idempotency-Key \"{key}\" is still being processed. Retry with the same key and payload after it completes.",
            new Dictionary<string, object?> { ["idempotencyKey"] = key });

    public static ProblemHttpResult KeyReused(string key) =>
        IdempotencyProblemTypes.IdempotencyKeyReused.Result(
            $"Idempotency-Key \"{key}\" was first used with a different payload. Use a new key for a new operation.",
            new Dictionary<string, object?> { ["idempotencyKey"] = key });

    public static ProblemHttpResult QuotaExceeded(string client, long retryAfterSeconds) =>
        IdempotencyProblemTypes.IdempotencyQuotaExceeded.Result(
            $"This client ({client}) holds as many live Idempotency-Keys as one client may. Other clients are not " +
            $"affected. Reuse a key only to retry the same request, or retry after {retryAfterSeconds} s, when your oldest key expires.",
            new Dictionary<string, object?> { ["client"] = client, ["retryAfterSeconds"] = retryAfterSeconds });

    public static ProblemHttpResult StoreFull() =>
        IdempotencyProblemTypes.IdempotencyStoreFull.Result("The server holds as many idempotency keys as it may. Retry later.");
}
