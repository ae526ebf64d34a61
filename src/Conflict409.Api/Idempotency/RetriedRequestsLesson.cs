using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;

namespace Conflict409.Api.Idempotency;

/// <summary>Lesson 3 as its folder declares it: the catalogue entry, how it is graded, its endpoints.</summary>
public sealed class RetriedRequestsLesson : ILessonModule
{
    public static readonly Lesson Entry = new(
        "idempotency-key",
        "Lesson 3: retried requests and Idempotency-Key",
        "A retry of a request that is still in flight.",
        "POST /register accepts an Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header). " +
        IdempotencyRules.Semantics + " The number of keys held is bounded (Idempotency:PerClientCapacity per " +
        "client, Idempotency:Capacity in all). " + IdempotencyRules.KeyFormat + " " + IdempotencyRules.Hold,
        [
            "POST /register Idempotency-Key: \"{key}\" {\"username\":\"{user}\"} → 201",
            "POST /register Idempotency-Key: \"{key}\" {\"username\":\"{user}\"} → 201 again, Idempotent-Replayed: true",
            "POST /register Idempotency-Key: \"{key}\" {\"username\":\"{other}\"} → 422 idempotency-key-reused",
            "POST /register?holdMs=8000 Idempotency-Key: \"{heldKey}\" {\"username\":\"{held}\"} → (held 8 s) 201",
            "the same request from a second terminal or tab within the 8 s → 409 idempotency-key-in-use, Retry-After: n (the rest of the hold)",
            "after n seconds, the same key and payload → 201 again, Idempotent-Replayed: true (recovered)",
        ],
        "After a 409 for an in-flight key, wait Retry-After seconds and retry with the same key and payload. " +
        "After a 422, generate a new key: it is a new operation.",
        [IdempotencyProblemTypes.IdempotencyKeyInUse.Uri, IdempotencyProblemTypes.IdempotencyKeyReused.Uri, IdempotencyProblemTypes.InvalidIdempotencyKey.Uri],
        "IETF draft-ietf-httpapi-idempotency-key-header, RFC 8941 structured fields.",
        [nameof(RegistrationEndpoints.Register)],
        new Dictionary<string, string>
        {
            ["key"] = "k-", ["user"] = "retry_", ["other"] = "other_", ["heldKey"] = "held-k-", ["held"] = "held_",
        },
        Recipe.For("Idempotency", "lesson3"));

    public Lesson Lesson => Entry;

    public IReadOnlyList<ProblemType> DefinedProblemTypes { get; } =
    [
        IdempotencyProblemTypes.IdempotencyKeyInUse,
        IdempotencyProblemTypes.IdempotencyKeyReused,
        IdempotencyProblemTypes.InvalidIdempotencyKey,
        IdempotencyProblemTypes.IdempotencyStoreFull,
        IdempotencyProblemTypes.IdempotencyQuotaExceeded,
    ];

    public ILessonJudge? Judge { get; } = new RetriedRequestsJudge();
}
