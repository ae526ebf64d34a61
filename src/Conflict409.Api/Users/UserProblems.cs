using Conflict409.Api.Problems;
using Conflict409.Api.Teams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Users;

/// <summary>The problems about users, built in one place for every endpoint that sends them and for their OpenAPI examples.</summary>
public static class UserProblems
{
    public static ProblemHttpResult UsernameTaken(string requested, string existing) =>
        UserProblemTypes.UsernameTaken.Result(
            $"The username '{requested}' is already taken by the existing account '{existing}'. Choose another username.",
            new Dictionary<string, object?>
            {
                ["username"] = requested,
                ["existingUsername"] = existing,
            });

    public static ProblemHttpResult UsernameLookAlike(string requested, string existing) =>
        UserProblemTypes.UsernameLookAlike.Result(
            $"The username '{requested}' looks the same as the existing account '{existing}' (equal UTS #39 confusable " +
            "skeletons), so it could impersonate it. Choose a username that looks different.",
            new Dictionary<string, object?>
            {
                ["username"] = requested,
                ["existingUsername"] = existing,
            });

    public static ProblemHttpResult StoreFull() =>
        ProblemTypes.StoreFull.Result("The server holds as many users as it is configured to. Delete users to make room.");

    public static ProblemHttpResult NotFound(string username) =>
        UserProblemTypes.UserNotFound.Result(
            $"No account has the username '{username}'.",
            new Dictionary<string, object?> { ["username"] = username });

    public static ProblemHttpResult Referenced(string username, IReadOnlyList<string> blockingTeams) =>
        TeamProblemTypes.UserReferenced.Result(
            $"The user '{username}' is still referenced by {blockingTeams.Count} team(s). Delete or change them first, then retry.",
            new Dictionary<string, object?>
            {
                ["username"] = username,
                ["blockedBy"] = blockingTeams.Select(Team.PathOf).ToArray(),
            });

    public static ProblemHttpResult VersionMismatch(User latest, long expectedVersion) =>
        UserProblemTypes.VersionMismatch.Result(
            $"The update is based on version {expectedVersion}, but '{latest.Username}' is at version " +
            $"{latest.Version}. GET it again, re-apply your change, and send version {latest.Version}.",
            VersionExtensions(latest));

    public static ProblemHttpResult PreconditionFailed(User current, string detail) =>
        UserProblemTypes.PreconditionFailed.Result(detail, VersionExtensions(current));

    private static Dictionary<string, object?> VersionExtensions(User current) => new()
    {
        ["username"] = current.Username,
        ["currentVersion"] = current.Version,
        ["currentETag"] = current.ETag,
    };
}
