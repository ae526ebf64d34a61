namespace Conflict409.Api.Users;

public enum AddUserOutcome
{
    Added,
    Taken,
}

/// <param name="Outcome">Whether the user was added or the name was already taken.</param>
/// <param name="User">The stored user: the new one when added, the existing holder of the name when taken.</param>
public readonly record struct AddUserResult(AddUserOutcome Outcome, User User);

public enum UpdateProfileOutcome
{
    Updated,
    NotFound,
    VersionMismatch,
}

/// <param name="Outcome">What happened.</param>
/// <param name="User">The user after the update, or its current state on a version mismatch; null when not found.</param>
public readonly record struct UpdateProfileResult(UpdateProfileOutcome Outcome, User? User);

public enum DeleteUserOutcome
{
    Deleted,
    NotFound,
    Referenced,
}

/// <param name="Outcome">What happened.</param>
/// <param name="BlockingTeams">When referenced, the teams that own or list the user.</param>
public readonly record struct DeleteUserResult(DeleteUserOutcome Outcome, IReadOnlyList<string> BlockingTeams);

public interface IUserStore
{
    /// <summary>Adds the user unless its key is taken, as one atomic step (no check-then-act).</summary>
    ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default);

    ValueTask<User?> FindAsync(UsernameKey key, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the profile only if the stored version is still <paramref name="expectedVersion"/>
    /// (compare-and-swap), so of many updates read from one version exactly one succeeds.
    /// </summary>
    ValueTask<UpdateProfileResult> TryUpdateProfileAsync(
        UsernameKey key, long expectedVersion, UserProfile profile, CancellationToken cancellationToken = default);

    /// <summary>Deletes the user unless a team owns or lists it.</summary>
    ValueTask<DeleteUserResult> TryDeleteAsync(UsernameKey key, CancellationToken cancellationToken = default);
}
