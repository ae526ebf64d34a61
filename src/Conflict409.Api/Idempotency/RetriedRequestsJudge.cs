using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;

namespace Conflict409.Api.Idempotency;

/// <summary>
/// Lesson 3 on the board: after idempotency-key-in-use, the same key after Retry-After recovers (the first response is
/// replayed); another key (or none), or the same key too soon, is a mistake. After idempotency-key-reused (422), a new
/// key recovers; the same key again is a mistake. Keyed registrations are this lesson's events; a keyless one is judged
/// (a new-key retry) but listed under lesson 0.
/// </summary>
public sealed class RetriedRequestsJudge : LessonJudge<RetriedRequestsJudge.State>
{
    public static readonly Mistake NewKeyRetry = new(
        "new-key-retry", RetriedRequestsLesson.Entry,
        "Retried with another Idempotency-Key (or none) while the first request was in flight.",
        "Another key is another operation, which can do the work twice. Retry with the same key and payload.");

    public static readonly Mistake KeyRetriedTooSoon = new(
        "key-retried-too-soon", RetriedRequestsLesson.Entry,
        "Retried the in-flight key before Retry-After had passed.",
        "Wait the Retry-After seconds the 409 gave, then retry with the same key and payload: the first " +
        "request's response is replayed.");

    public static readonly Mistake KeyReusedAgain = new(
        "key-reused-again", RetriedRequestsLesson.Entry,
        "Sent a key again with another payload after its 422.",
        "A key names one operation. For a new payload, generate a new key.");

    public sealed class State
    {
        public (string Key, DateTimeOffset ConflictAt, DateTimeOffset RetryAt, bool NewKeyJudged)? KeyInUse { get; set; }

        public string? ReusedKey { get; set; }
    }

    public override Lesson Lesson => RetriedRequestsLesson.Entry;

    public override IReadOnlyList<string> WatchedEndpoints { get; } = [nameof(RegistrationEndpoints.Register)];

    public override IReadOnlyList<Mistake> Mistakes { get; } = [NewKeyRetry, KeyRetriedTooSoon, KeyReusedAgain];

    public override IReadOnlyList<string> RequestHeaders { get; } = [IdempotencyKey.HeaderName];

    protected override Attention Attend(in Observation observation, string endpoint, State state) =>
        observation.Header(IdempotencyKey.HeaderName) is null ? Attention.Judge : Attention.Own;

    protected override void Judge(in Observation observation, string endpoint, State state, VerdictSink verdicts)
    {
        var key = observation.Header(IdempotencyKey.HeaderName) is { } raw && IdempotencyKey.TryParse(raw, out var parsed) ? parsed : null;
        var type = observation.Problem?.Type;
        var inUse = type == IdempotencyProblemTypes.IdempotencyKeyInUse.Uri;

        // Only requests sent after the 409 was answered are retries. The request holding the key started before it
        // (it is why the 409 was sent), however late it completes: with holdMs, seconds after the 409; in a scripted
        // race, a hair after it, and its start may even follow the 409's own.
        if (state.KeyInUse is { } pending && observation.At > pending.ConflictAt)
        {
            if (key != pending.Key)
            {
                if (!pending.NewKeyJudged)
                {
                    verdicts.Mistake(NewKeyRetry);
                    state.KeyInUse = pending with { NewKeyJudged = true };
                }
            }
            else
            {
                if (observation.At + RetryAfterSlack < pending.RetryAt)
                {
                    verdicts.Mistake(KeyRetriedTooSoon);
                }
                else if (!inUse && observation.Status < StatusCodes.Status300MultipleChoices)
                {
                    verdicts.Recovered();
                }

                if (!inUse)
                {
                    state.KeyInUse = null;
                }
            }
        }

        if (inUse && key is not null)
        {
            verdicts.Conflict();
            var answered = observation.AnsweredAt ?? observation.At;
            state.KeyInUse = (key, answered, answered + (observation.RetryAfter ?? TimeSpan.FromSeconds(1)), false);
        }

        if (type == IdempotencyProblemTypes.IdempotencyKeyReused.Uri && key is not null)
        {
            verdicts.Conflict();
            if (state.ReusedKey == key)
            {
                verdicts.Mistake(KeyReusedAgain);
            }

            state.ReusedKey = key;
        }
        else if (state.ReusedKey is not null && key is not null && key != state.ReusedKey
            && observation.Status < StatusCodes.Status300MultipleChoices)
        {
            verdicts.Recovered();
            state.ReusedKey = null;
        }
    }
}
