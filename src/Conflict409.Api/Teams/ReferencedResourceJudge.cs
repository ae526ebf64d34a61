using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;

namespace Conflict409.Api.Teams;

/// <summary>
/// Lesson 2 on the board: after user-referenced, deleting the blockers and then the user (204) recovers; deleting the
/// user first is a mistake. Creating a team is watched (a board event) but not judged.
/// </summary>
public sealed class ReferencedResourceJudge : LessonJudge<ReferencedResourceJudge.State>
{
    public static readonly Mistake DeleteBeforeBlockers = new(
        "delete-before-blockers", ReferencedResourceLesson.Entry,
        "Deleted the user again before the resources in blockedBy.",
        "The user stays referenced until every resource in blockedBy is deleted or changed: remove those first, " +
        "then delete the user.");

    public sealed class State
    {
        /// <summary>Per refused user: the teams in its blockedBy not deleted since.</summary>
        public Dictionary<UsernameKey, HashSet<UsernameKey>> BlockedDeletes { get; } = [];
    }

    public override Lesson Lesson => ReferencedResourceLesson.Entry;

    public override IReadOnlyList<string> WatchedEndpoints { get; } =
        [nameof(UserEndpoints.DeleteUser), nameof(TeamEndpoints.CreateTeam), nameof(TeamEndpoints.DeleteTeam)];

    public override IReadOnlyList<Mistake> Mistakes { get; } = [DeleteBeforeBlockers];

    protected override void Judge(in Observation observation, string endpoint, State state, VerdictSink verdicts)
    {
        if (observation.Target is not { } target)
        {
            return;
        }

        if (endpoint == nameof(TeamEndpoints.DeleteTeam))
        {
            if (observation.Status is StatusCodes.Status204NoContent or StatusCodes.Status404NotFound)
            {
                var team = UsernameKey.From(target);
                foreach (var blockers in state.BlockedDeletes.Values)
                {
                    blockers.Remove(team);
                }
            }
        }
        else if (endpoint == nameof(UserEndpoints.DeleteUser))
        {
            JudgeUserDelete(observation, UsernameKey.From(target), state, verdicts);
        }
    }

    private static void JudgeUserDelete(in Observation observation, UsernameKey user, State state, VerdictSink verdicts)
    {
        var referenced = observation.Problem?.Type == TeamProblemTypes.UserReferenced.Uri;
        if (state.BlockedDeletes.Remove(user, out var blockers))
        {
            if (referenced && blockers.Count > 0)
            {
                verdicts.Mistake(DeleteBeforeBlockers);
            }
            else if (observation.Status == StatusCodes.Status204NoContent)
            {
                verdicts.Recovered();
            }
        }

        if (referenced)
        {
            verdicts.Conflict();
            var blockedBy = observation.Problem!.Extensions.TryGetValue("blockedBy", out var paths) && paths is IEnumerable<string> listed ? listed : [];
            Remember(state.BlockedDeletes, user, [.. blockedBy.Select(path => UsernameKey.From(LastSegment(path) ?? ""))]);
        }
    }
}
