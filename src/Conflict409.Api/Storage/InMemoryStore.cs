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
    private readonly ConcurrentDictionary<UsernameKey, User> _users;
    private readonly ConcurrentDictionary<UsernameKey, Team> _teams = new();
    private readonly Lock _referencesLock = new();
    private readonly UserStoreOptions _options;

    // ConcurrentDictionary.Count takes every lock; a counter kept beside the adds is cheap and exact.
    private int _userCount;

    public InMemoryStore(IOptions<UserStoreOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        // Sized for the capacity up front (to a point): growing a concurrent dictionary locks every bucket
        // and copies it, which under a registration burst shows up as p99 latency spikes.
        _users = new ConcurrentDictionary<UsernameKey, User>(Environment.ProcessorCount, Math.Min(_options.Capacity, 1 << 20));
        var now = timeProvider.GetUtcNow();
        foreach (var username in _options.Seed)
        {
            var key = UsernameKey.From(username);
            if (_users.TryAdd(key, new User(key, username, now)))
            {
                _userCount++;
            }
        }
    }

    public ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default)
    {
        if (_users.TryGetValue(user.Key, out var existing))
        {
            return ValueTask.FromResult(new AddUserResult(AddUserOutcome.Taken, existing));
        }

        // Reserve a place before publishing, so the count can never pass the capacity, even under a race.
        if (Interlocked.Increment(ref _userCount) > _options.Capacity)
        {
            Interlocked.Decrement(ref _userCount);
            return ValueTask.FromResult(new AddUserResult(AddUserOutcome.Full, null));
        }

        // GetOrAdd publishes at most one value per key, so among racing registrations exactly one
        // caller gets its own instance back.
        var stored = _users.GetOrAdd(user.Key, user);
        if (ReferenceEquals(stored, user))
        {
            return ValueTask.FromResult(new AddUserResult(AddUserOutcome.Added, stored));
        }

        Interlocked.Decrement(ref _userCount);
        return ValueTask.FromResult(new AddUserResult(AddUserOutcome.Taken, stored));
    }

    ValueTask<User?> IUserStore.FindAsync(UsernameKey key, CancellationToken cancellationToken) =>
        ValueTask.FromResult(_users.GetValueOrDefault(key));

    public ValueTask<int> CountAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_users.Count);

    public ValueTask<IReadOnlyList<User>> ListAsync(
        UsernameKey? after = null, int limit = int.MaxValue, CancellationToken cancellationToken = default)
    {
        // Key order is a stable cursor: users registered meanwhile appear in their place, none twice.
        // OrderBy(...).Take(n) sorts only the n smallest, so a page costs one scan of the store (a few ms at the
        // default capacity of 100 000), not a full sort, and the store keeps no second index to pay for in memory.
        var users = after is { Value: var cursor }
            ? _users.Values.Where(user => string.CompareOrdinal(user.Key.Value, cursor) > 0)
            : _users.Values;
        IReadOnlyList<User> page = [.. users.OrderBy(user => user.Key.Value, StringComparer.Ordinal).Take(limit)];
        return ValueTask.FromResult(page);
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

            if (!_users.TryRemove(key, out _))
            {
                return ValueTask.FromResult(new DeleteUserResult(DeleteUserOutcome.NotFound, []));
            }

            Interlocked.Decrement(ref _userCount);
            return ValueTask.FromResult(new DeleteUserResult(DeleteUserOutcome.Deleted, []));
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

            if (_teams.Count >= _options.TeamCapacity)
            {
                return ValueTask.FromResult(new CreateTeamResult(CreateTeamOutcome.Full, null, []));
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
