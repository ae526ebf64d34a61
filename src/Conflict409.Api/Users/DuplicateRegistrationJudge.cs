using Conflict409.Api.Idempotency;
using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;

namespace Conflict409.Api.Users;

/// <summary>Lesson 0 on the board: after username-taken, a new name (201) recovers; the same name again is a blind retry.</summary>
public sealed class DuplicateRegistrationJudge : LessonJudge<DuplicateRegistrationJudge.State>
{
    public static readonly Mistake BlindRetry = new(
        "blind-retry", DuplicateRegistrationLesson.Entry,
        "Sent a taken username again, unchanged (a blind retry).",
        "A taken name stays taken, so the same request can only get the same 409. Read existingUsername and " +
        "register another name.");

    public sealed class State
    {
        /// <summary>The name of the last username-taken, until a registration succeeds.</summary>
        public string? TakenName { get; set; }
    }

    public override Lesson Lesson => DuplicateRegistrationLesson.Entry;

    public override IReadOnlyList<string> WatchedEndpoints { get; } = [nameof(RegistrationEndpoints.Register)];

    public override IReadOnlyList<Mistake> Mistakes { get; } = [BlindRetry];

    /// <summary>A replayed 201 (lesson 3) registered nothing new: it recovers nothing.</summary>
    public override IReadOnlyList<string> ResponseHeaders { get; } = [IdempotencyFilter<object>.ReplayedHeaderName];

    /// <summary>The name a username-taken problem is about.</summary>
    public static string? TakenNameIn(in Observation observation) =>
        observation.Problem?.Type == UserProblemTypes.UsernameTaken.Uri
        && observation.Problem.Extensions.TryGetValue("username", out var name)
            ? name as string
            : null;

    protected override void Judge(in Observation observation, string endpoint, State state, VerdictSink verdicts)
    {
        if (observation.Problem?.Type == UserProblemTypes.UsernameTaken.Uri)
        {
            var requested = TakenNameIn(observation);
            verdicts.Conflict();
            if (state.TakenName is not null && requested == state.TakenName)
            {
                verdicts.Mistake(BlindRetry);
            }

            state.TakenName = requested;
        }
        else if (observation.Status == StatusCodes.Status201Created
            && observation.Header(IdempotencyFilter<object>.ReplayedHeaderName) is null
            && state.TakenName is not null)
        {
            verdicts.Recovered();
            state.TakenName = null;
        }
    }
}
