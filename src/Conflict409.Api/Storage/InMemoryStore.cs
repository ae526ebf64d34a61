using System.Collections.Concurrent;
using Conflict409.Api.Teams;
using Conflict409.Api.Users;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Storage;

/// <summary>
/// The process-local store of users and teams. Single-entity writes are lock-free atomic operations on
/// concurrent dictionaries. The one invariant that spans both (a team only names existing users) is kept
/// by a lock that team creation and user deletion share; registration and profile updates never take it.
/// </summary>
public sealed class InMemoryStore : IUserStore, ITeamStore
{
    private readonly ConcurrentDictionary<UsernameKey, User> _users = new();
    private readonly ConcurrentDictionary<UsernameKey, Team> _teams = new();
    private readonly Lock _referencesLock = new();

    public InMemoryStore(IOptions<UserStoreOptions> options, TimeProvider timeProvider)
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

    ValueTask<User?> IUserStore.FindAsync(UsernameKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_users.GetValueOrDefault(key));

    public ValueTask<IReadOnlyList<User>> ListAsync(CancellationToken cancellationToken = default)
    {
        IReadOnlyList<User> users = [.. _users.Values.OrderBy(user => user.RegisteredAt).ThenBy(user => user.Key.Value, StringComparer.Ordinal)];
        return ValueTask.FromResult(users);
    }

    public ValueTask<UpdateProfileResult> TryUpdateProfileAsync(
        UsernameKey key, long expectedVersion, UserProfile profile, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (!_users.TryGetValue(key, out var current))
            {
                return ValueTask.FromResult(new UpdateProfileResult(UpdateProfileOutcome.NotFound, null));
            }

            if (current.Version != expectedVersion)
            {
                return ValueTask.FromResult(new UpdateProfileResult(UpdateProfileOutcome.VersionMismatch, current));
            }

            var updated = current with { Profile = profile, Version = current.Version + 1 };
            // TryUpdate swaps only if the entry still equals what we read; if another writer got in first,
            // read again: the version check above then turns its win into our mismatch.
            if (_users.TryUpdate(key, updated, current))
            {
                return ValueTask.FromResult(new UpdateProfileResult(UpdateProfileOutcome.Updated, updated));
            }
        }
    }

    public ValueTask<DeleteUserResult> TryDeleteAsync(UsernameKey key, CancellationToken cancellationToken = default)
    {
        lock (_referencesLock)
        {
            var blockers = _teams.Values
                .Where(team => team.References.Contains(key))
                .Select(team => team.Name)
                .Order(StringComparer.Ordinal)
                .ToArray();
            if (blockers.Length > 0)
            {
                return ValueTask.FromResult(new DeleteUserResult(DeleteUserOutcome.Referenced, blockers));
            }

            var outcome = _users.TryRemove(key, out _) ? DeleteUserOutcome.Deleted : DeleteUserOutcome.NotFound;
            return ValueTask.FromResult(new DeleteUserResult(outcome, []));
        }
    }

    public ValueTask<CreateTeamResult> TryCreateAsync(Team team, CancellationToken cancellationToken = default)
    {
        lock (_referencesLock)
        {
            // Only creations take this lock, so nothing can add the name between this check and the add.
            if (_teams.TryGetValue(team.Key, out var existing))
            {
                return ValueTask.FromResult(new CreateTeamResult(CreateTeamOutcome.NameTaken, existing, []));
            }

            UsernameKey[] unknown = [.. team.References.Where(user => !_users.ContainsKey(user))];
            if (unknown.Length > 0)
            {
                return ValueTask.FromResult(new CreateTeamResult(CreateTeamOutcome.UnknownUsers, null, unknown));
            }

            _teams[team.Key] = team;
            return ValueTask.FromResult(new CreateTeamResult(CreateTeamOutcome.Created, team, []));
        }
    }

    ValueTask<Team?> ITeamStore.FindAsync(UsernameKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_teams.GetValueOrDefault(key));

    // Removing a team only releases references, so it needs no lock.
    ValueTask<bool> ITeamStore.TryDeleteAsync(UsernameKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_teams.TryRemove(key, out _));
}
