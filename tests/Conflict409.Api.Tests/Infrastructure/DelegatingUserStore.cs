using Conflict409.Api.Users;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>Passes every call to the real store; tests override the one operation they need to steer.</summary>
public abstract class DelegatingUserStore(IUserStore inner) : IUserStore
{
    public virtual ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default) =>
        inner.TryAddAsync(user, cancellationToken);

    public ValueTask<User?> FindAsync(UsernameKey key, CancellationToken cancellationToken = default) =>
        inner.FindAsync(key, cancellationToken);

    public ValueTask<int> CountAsync(CancellationToken cancellationToken = default) => inner.CountAsync(cancellationToken);

    public ValueTask<IReadOnlyList<User>> ListAsync(
        UsernameKey? after = null, int limit = int.MaxValue, CancellationToken cancellationToken = default) =>
        inner.ListAsync(after, limit, cancellationToken);

    public ValueTask<UpdateProfileResult> TryUpdateProfileAsync(
        UsernameKey key, VersionPrecondition precondition, UserProfile profile, CancellationToken cancellationToken = default) =>
        inner.TryUpdateProfileAsync(key, precondition, profile, cancellationToken);

    public ValueTask<DeleteUserResult> TryDeleteAsync(UsernameKey key, CancellationToken cancellationToken = default) =>
        inner.TryDeleteAsync(key, cancellationToken);
}
