using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Users;

public sealed class UserStoreOptions
{
    public const string SectionName = "Users";

    /// <summary>Usernames registered when the server starts.</summary>
    public IList<string> Seed { get; } = [];
}

public sealed class InMemoryUserStore : IUserStore
{
    private readonly ConcurrentDictionary<UsernameKey, User> _users = new();

    public InMemoryUserStore(IOptions<UserStoreOptions> options, TimeProvider timeProvider)
    {
        var now = timeProvider.GetUtcNow();
        foreach (var username in options.Value.Seed)
        {
            var key = UsernameKey.From(username);
            _users.TryAdd(key, new User(key, username, now));
        }
    }

    public ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default)
    {
        // GetOrAdd publishes at most one value per key, so among racing registrations exactly one
        // caller gets its own instance back.
        var stored = _users.GetOrAdd(user.Key, user);
        var outcome = ReferenceEquals(stored, user) ? AddUserOutcome.Added : AddUserOutcome.Taken;
        return ValueTask.FromResult(new AddUserResult(outcome, stored));
    }

    public ValueTask<User?> FindAsync(UsernameKey key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_users.GetValueOrDefault(key));

    public ValueTask<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<User> users = [.. _users.Values.OrderBy(user => user.RegisteredAt).ThenBy(user => user.Key.Value, StringComparer.Ordinal)];
        return ValueTask.FromResult(users);
    }
}
