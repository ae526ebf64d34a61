namespace Conflict409.Api.Users;

/// <summary>The OpenAPI prose of the user endpoints.</summary>
public static partial class UserEndpoints
{
    private const string GetUserDescription = """
        Uses the same normalisation as `/register`: `/users/JOHN_DOE` finds `john_doe`. The response carries
        a strong `ETag` derived from the user's `version`: send it back in `If-Match` to update the profile.
        """;

    private const string DeleteUserDescription = """
        A resource-state conflict: deleting a user that a team owns or lists would leave the team pointing at
        nothing, so the server answers **409** with `blockedBy`, the paths of the blocking teams.
        **Recovery:** delete (or change) each blocking team, then retry.
        """;

    private const string ListUsersDescription = """
        At most `limit` users (1 to 100, default 50). When more follow, `nextCursor` is set: pass it as
        `cursor` for the next page. Users registered meanwhile appear in their place; none appears twice.
        """;
}
