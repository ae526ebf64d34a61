using Conflict409.Api.Users;

namespace Conflict409.Api.Teams;

/// <summary>A team, keyed like usernames (case- and width-insensitively), naming an owner and members.</summary>
public sealed record Team(TeamKey Key, string Name, string Owner, IReadOnlyList<string> Members)
{
    /// <summary>The users this team points at; none of them may be deleted while the team exists.</summary>
    public IReadOnlyList<UsernameKey> References { get; } = [.. Members.Prepend(Owner).Select(UsernameKey.From).Distinct()];

    /// <summary>Where a team is found: GET /teams/{name}.</summary>
    public static string PathOf(string teamName) => $"/teams/{Uri.EscapeDataString(teamName)}";
}

public enum CreateTeamOutcome
{
    Created,
    NameTaken,
    UnknownUsers,
    Full,
}

/// <param name="Outcome">What happened.</param>
/// <param name="Team">The new team, or the existing holder of the name.</param>
/// <param name="UnknownUsers">When users are unknown, which of the named ones do not exist.</param>
public readonly record struct CreateTeamResult(CreateTeamOutcome Outcome, Team? Team, IReadOnlyList<UsernameKey> UnknownUsers);

public interface ITeamStore
{
    /// <summary>
    /// Creates the team if its name is free and every user it names exists, atomically with respect to user
    /// deletion: no team can ever point at a deleted user.
    /// </summary>
    ValueTask<CreateTeamResult> TryCreateTeamAsync(Team team, CancellationToken cancellationToken = default);

    ValueTask<Team?> FindTeamAsync(TeamKey key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the team, releasing the users it references; false when no team has the key.</summary>
    ValueTask<bool> TryDeleteTeamAsync(TeamKey key, CancellationToken cancellationToken = default);
}
