using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;

namespace Conflict409.Api.Users;

/// <summary>
/// Lesson 1 on the board: after 409/412/428 on a profile, a GET then a successful update recovers. Without the GET, an
/// update that succeeds overwrote a change the client never read, and one refused the same way again was re-sent
/// unchanged: both are mistakes. A stale update refused another way (the lesson's 412, then 409, then 428) is the
/// lesson being explored, a new conflict rather than a mistake.
/// </summary>
public sealed class VersioningJudge : LessonJudge<VersioningJudge.State>
{
    public static readonly Mistake UpdateWithoutReread = new(
        "update-without-reread", VersioningLesson.Entry,
        "Sent a refused profile update again unchanged, or overwrote the profile, without a fresh GET in between.",
        "A stale If-Match or version stays stale, and copying currentETag from the problem overwrites a change you " +
        "never saw. GET the user, re-apply your change to that copy, and send it with the new ETag or version.");

    public sealed class State
    {
        /// <summary>Per user: the problem type of its last refused update, and whether it was read since.</summary>
        public Dictionary<UsernameKey, StaleUpdate> ConflictedProfiles { get; } = [];
    }

    public readonly record struct StaleUpdate(string Type, bool Reread);

    public override Lesson Lesson => VersioningLesson.Entry;

    public override IReadOnlyList<string> WatchedEndpoints { get; } =
        [nameof(UserEndpoints.GetUser), nameof(ProfileEndpoints.UpdateProfile)];

    public override IReadOnlyList<Mistake> Mistakes { get; } = [UpdateWithoutReread];

    protected override void Judge(in Observation observation, string endpoint, State state, VerdictSink verdicts)
    {
        if (observation.Target is not { } target)
        {
            return;
        }

        var user = UsernameKey.From(target);
        if (endpoint == nameof(UserEndpoints.GetUser))
        {
            if (observation.Status == StatusCodes.Status200OK && state.ConflictedProfiles.TryGetValue(user, out var read))
            {
                state.ConflictedProfiles[user] = read with { Reread = true };
            }

            return;
        }

        var type = observation.Problem?.Type;
        var stale = type == UserProblemTypes.VersionMismatch.Uri
            || type == UserProblemTypes.PreconditionFailed.Uri
            || type == UserProblemTypes.PreconditionRequired.Uri;
        if (state.ConflictedProfiles.Remove(user, out var pending))
        {
            if (observation.Status == StatusCodes.Status200OK)
            {
                if (pending.Reread)
                {
                    verdicts.Recovered();
                }
                else
                {
                    verdicts.Mistake(UpdateWithoutReread);
                }
            }
            else if (stale && !pending.Reread && type == pending.Type)
            {
                verdicts.Mistake(UpdateWithoutReread);
            }
            else if (!stale)
            {
                // Neither a success nor a new conflict (a 400, a 404): still waiting for the update after the read.
                state.ConflictedProfiles[user] = pending;
            }
        }

        if (stale)
        {
            verdicts.Conflict();
            Remember(state.ConflictedProfiles, user, new StaleUpdate(type!, Reread: false));
        }
    }
}
