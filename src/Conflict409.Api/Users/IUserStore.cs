namespace Conflict409.Api.Users;

public enum AddUserOutcome
{
    Added,
    Taken,

    /// <summary>Another user's name looks the same (equal UTS #39 confusable skeletons), e.g. <c>ѕсоре</c> beside <c>scope</c>.</summary>
    LookAlike,
    Full,
}

/// <param name="Outcome">Whether the user was added, the name (or one that looks like it) was already taken, or the store is full.</param>
/// <param name="User">The stored user: the new one when added, the existing holder of the name or its look-alike when taken; null when full.</param>
public readonly record struct AddUserResult(AddUserOutcome Outcome, User? User);

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
    /// <summary>
    /// Adds the user unless its key is taken, an existing user's name looks the same (<see cref="UsernameSkeleton"/>),
    /// or the store holds its capacity, as one atomic step (no check-then-act); a full store writes nothing.
    /// </summary>
    ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default);

    ValueTask<User?> FindAsync(UsernameKey key, CancellationToken cancellationToken = default);

    /// <summary>How many users the store holds, counted from the stored entries themselves.</summary>
    ValueTask<int> CountAsync(CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> users in key order, starting after the key <paramref name="after"/>.</summary>
    ValueTask<IReadOnlyList<User>> ListAsync(
        UsernameKey? after = null, int limit = int.MaxValue, CancellationToken cancellationToken = default);

    /// <summary>
    /// Replaces the profile only if the stored version is one <paramref name="precondition"/> allows
    /// (compare-and-swap), so of many updates read from one version exactly one succeeds.
    /// </summary>
    ValueTask<UpdateProfileResult> TryUpdateProfileAsync(
        UsernameKey key, VersionPrecondition precondition, UserProfile profile, CancellationToken cancellationToken = default);

    /// <summary>Deletes the user unless a team owns or lists it.</summary>
    ValueTask<DeleteUserResult> TryDeleteAsync(UsernameKey key, CancellationToken cancellationToken = default);
}
