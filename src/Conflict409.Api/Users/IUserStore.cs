namespace Conflict409.Api.Users;

public enum AddUserOutcome
{
    Added,
    Taken,
}

/// <param name="Outcome">Whether the user was added or the name was already taken.</param>
/// <param name="User">The stored user: the new one when added, the existing holder of the name when taken.</param>
public readonly record struct AddUserResult(AddUserOutcome Outcome, User User);

public interface IUserStore
{
    /// <summary>Adds the user unless its key is taken, as one atomic step (no check-then-act).</summary>
    ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default);

    ValueTask<User?> FindAsync(UsernameKey key, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default);
}
