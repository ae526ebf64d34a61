using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;

namespace Conflict409.Api.Teams;

/// <summary>Lesson 2 as its folder declares it: the catalogue entry, how it is graded, its endpoints.</summary>
public sealed class ReferencedResourceLesson : ILessonModule
{
    public static readonly Lesson Entry = new(
        "referenced-resource",
        "Lesson 2: deleting what others reference",
        "Resource state conflict: the operation would break other resources.",
        "Teams name an owner and members. DELETE /users/{username} answers 204 when nothing references the " +
        "user, and 409 when a team owns or lists it, with the blocking resources' paths in blockedBy. A team " +
        "that names unknown users is refused with 422, and a duplicate team name with 409. Team creation and " +
        "user deletion are atomic with respect to each other: no race can leave a team naming a deleted user.",
        [
            "POST /register {\"username\":\"{owner}\"} → 201 (your own users and team for this lesson)",
            "POST /register {\"username\":\"{member}\"} → 201",
            "POST /teams {\"name\":\"{team}\",\"owner\":\"{owner}\",\"members\":[\"{member}\"]} → 201",
            "DELETE /users/{member} → 409 user-referenced, blockedBy [\"/teams/{team}\"]",
            "DELETE /teams/{team} → 204",
            "DELETE /users/{member} → 204",
        ],
        "Remove or delete each resource in blockedBy first, then retry the delete.",
        [TeamProblemTypes.UserReferenced.Uri, TeamProblemTypes.TeamNameTaken.Uri, TeamProblemTypes.UnknownTeamMembers.Uri],
        "RFC 9110 §15.5.10; the same rule a foreign key enforces in a database.",
        [nameof(UserEndpoints.DeleteUser), nameof(TeamEndpoints.CreateTeam), nameof(TeamEndpoints.GetTeam), nameof(TeamEndpoints.DeleteTeam)],
        new Dictionary<string, string> { ["owner"] = "owner_", ["member"] = "member_", ["team"] = "team_" },
        Recipe.For("Teams", "lesson2"));

    public Lesson Lesson => Entry;

    public IReadOnlyList<ProblemType> DefinedProblemTypes { get; } =
    [
        TeamProblemTypes.UserReferenced,
        TeamProblemTypes.TeamNameTaken,
        TeamProblemTypes.UnknownTeamMembers,
        TeamProblemTypes.TeamNotFound,
    ];

    public ILessonJudge? Judge { get; } = new ReferencedResourceJudge();

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapTeamEndpoints();
    }
}
