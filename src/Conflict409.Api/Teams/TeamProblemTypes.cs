using Conflict409.Api.Problems;

namespace Conflict409.Api.Teams;

/// <summary>
/// The problem types of lesson 2 (referenced resource), which only this folder's endpoints send. The lesson's module declares them
/// (<see cref="Lessons.ILessonModule.DefinedProblemTypes"/>), which is how they are listed at <c>GET /problems</c>.
/// </summary>
public static class TeamProblemTypes
{
    public static readonly ProblemType UserReferenced = new(
        "user-referenced",
        StatusCodes.Status409Conflict,
        "The user is still referenced.",
        "Deleting this user would leave teams pointing at an account that no longer exists, so the server " +
        "refuses with 409: the request conflicts with the state of other resources. The problem lists the " +
        "blocking resources (blockedBy); remove the user from them, or delete them, then retry the delete.");

    public static readonly ProblemType TeamNameTaken = new(
        "team-name-taken",
        StatusCodes.Status409Conflict,
        "Team name already exists.",
        "Team names are unique, compared like usernames. Choose another name, or GET the existing team.");

    public static readonly ProblemType UnknownTeamMembers = new(
        "unknown-team-members",
        StatusCodes.Status422UnprocessableEntity,
        "The team names users that do not exist.",
        "The request is well-formed JSON (so not 400) and conflicts with no existing team (so not 409), but " +
        "it refers to users that do not exist, so it cannot be processed: 422 Unprocessable Content. " +
        "Register the users listed in unknownUsers first, or leave them out.");

    public static readonly ProblemType TeamNotFound = new(
        "team-not-found",
        StatusCodes.Status404NotFound,
        "Team not found.",
        "No team has this name. POST /teams creates one.");
}
