using Conflict409.Api.Users;

namespace Conflict409.Api.Storage;

/// <summary>
/// A user as <see cref="InMemoryStore"/> holds it, inline in its set: the key and the registration time, and the user
/// object itself only when it is not plain (<see cref="User.IsPlain"/>: a name typed other than its key, or edited).
/// 24 bytes, where a reference to a user object costs 8 and the object 40: the store keeps a million users.
/// </summary>
internal readonly struct StoredUser
{
    private readonly long _registeredUtcTicks;
    private readonly User? _user;

    public StoredUser(User user)
    {
        Key = user.Key;
        if (user.IsPlain)
        {
            _registeredUtcTicks = user.RegisteredUtcTicks;
        }
        else
        {
            _user = user;
        }
    }

    public UsernameKey Key { get; }

    /// <summary>The user, equal to the one stored (made anew for a plain one).</summary>
    public User ToUser() => _user ?? User.Plain(Key, _registeredUtcTicks);

    /// <summary>Compares stored users by <see cref="LookAlikeComparer"/> on their keys, and finds one by key alone.</summary>
    public sealed class Comparer : IEqualityComparer<StoredUser>, IAlternateEqualityComparer<UsernameKey, StoredUser>
    {
        public static Comparer Instance { get; } = new();

        public bool Equals(StoredUser x, StoredUser y) => LookAlikeComparer.Instance.Equals(x.Key, y.Key);

        public int GetHashCode(StoredUser user) => LookAlikeComparer.Instance.GetHashCode(user.Key);

        public bool Equals(UsernameKey alternate, StoredUser other) => LookAlikeComparer.Instance.Equals(alternate, other.Key);

        public int GetHashCode(UsernameKey alternate) => LookAlikeComparer.Instance.GetHashCode(alternate);

        /// <summary>A key alone is not a user: the set is added to by user, only looked up by key.</summary>
        public StoredUser Create(UsernameKey alternate) =>
            throw new NotSupportedException("A user is added to the store whole; a key only finds one.");
    }
}
