using Conflict409.Api.Teams;
using Conflict409.Api.Users;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Storage;

/// <summary>
/// The process-local store of users and teams, behind one lock. Every operation is a few hash lookups or binary
/// searches, never a scan, so the lock is held for well under a microsecond however large the store grows, and
/// with one lock the checks that span entries (the capacity, a team naming only existing users) are plainly atomic.
/// <list type="bullet">
/// <item>Users are a set compared by <see cref="LookAlikeComparer"/> on their keys, so the one lookup of a registration
/// finds the same name and any name that looks like it (UTS #39 skeleton), at no memory beyond the set itself. The set
/// holds each user inline (<see cref="StoredUser"/>: key and time, 36 bytes with the set's own) rather than a reference
/// to a user object beside a key (28 bytes, and 64 for the object): a million users are a heap the size of their names.</item>
/// <item><see cref="OrderedUsers"/> keeps their keys in order for paging, about 8–11 bytes a user.</item>
/// <item>A reverse index (user → the teams that name it) answers a delete's "who still references this user".</item>
/// </list>
/// A plain <see cref="HashSet{T}"/> rather than a ConcurrentDictionary: it appends new users to one
/// array in order, which costs the garbage collector less (tests/load/README.md has the figures).
/// </summary>
public sealed class InMemoryStore : IUserStore, ITeamStore
{
    private readonly Lock _lock = new();
    private readonly HashSet<StoredUser> _users;
    private readonly HashSet<StoredUser>.AlternateLookup<UsernameKey> _usersByKey;
    private readonly OrderedUsers _ordered = new();
    private readonly Dictionary<TeamKey, Team> _teams = [];
    private readonly Dictionary<UsernameKey, List<TeamKey>> _teamsNaming = [];
    private readonly UserStoreOptions _options;

    public InMemoryStore(IOptions<UserStoreOptions> options, TimeProvider timeProvider)
    {
        _options = options.Value;
        // Sized for the capacity up front (to a point), so a registration burst does not pay for regrowth.
        _users = new HashSet<StoredUser>(Math.Min(_options.Capacity, 1 << 20), StoredUser.Comparer.Instance);
        _usersByKey = _users.GetAlternateLookup<UsernameKey>();
        var now = timeProvider.GetUtcNow();
        foreach (var username in _options.Seed)
        {
            var key = UsernameKey.From(username);
            var user = new User(key, username, now);
            if (_users.Add(new StoredUser(user)))
            {
                _ordered.Add(key);
            }
        }
    }

    public ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_usersByKey.TryGetValue(user.Key, out var existing))
            {
                return ValueTask.FromResult(new AddUserResult(
                    existing.Key == user.Key ? AddUserOutcome.Taken : AddUserOutcome.LookAlike, existing.ToUser()));
            }

            if (_users.Count >= _options.Capacity)
            {
                return ValueTask.FromResult(new AddUserResult(AddUserOutcome.Full, null));
            }

            _users.Add(new StoredUser(user));
            _ordered.Add(user.Key);
            return ValueTask.FromResult(new AddUserResult(AddUserOutcome.Added, user));
        }
    }

    public ValueTask<User?> FindAsync(UsernameKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(FindExact(key));
        }
    }

    public ValueTask<int> CountAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_users.Count);
        }
    }

    public ValueTask<IReadOnlyList<User>> ListAsync(
        UsernameKey? after = null, int limit = int.MaxValue, CancellationToken cancellationToken = default)
    {
        // Key order is a stable cursor: users registered meanwhile appear in their place, none twice.
        lock (_lock)
        {
            var keys = _ordered.Page(after?.Value, limit);
            var page = new List<User>(keys.Count);
            foreach (var key in keys)
            {
                page.Add(FindExact(key)!);
            }

            return ValueTask.FromResult<IReadOnlyList<User>>(page);
        }
    }

    public ValueTask<UpdateProfileResult> TryUpdateProfileAsync(
        UsernameKey key, VersionPrecondition precondition, UserProfile profile, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (FindExact(key) is not { } current)
            {
                return ValueTask.FromResult(new UpdateProfileResult(UpdateProfileOutcome.NotFound, null));
            }

            // Compare-and-swap on the version: of many updates read from one version, the first wins and the
            // others see the version it moved on to.
            if (!precondition.Allows(current.Version))
            {
                return ValueTask.FromResult(new UpdateProfileResult(UpdateProfileOutcome.VersionMismatch, current));
            }

            var updated = current with { Profile = profile, Version = current.Version + 1 };
            _usersByKey.Remove(key);
            _users.Add(new StoredUser(updated));
            return ValueTask.FromResult(new UpdateProfileResult(UpdateProfileOutcome.Updated, updated));
        }
    }

    public ValueTask<DeleteUserResult> TryDeleteAsync(UsernameKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_teamsNaming.TryGetValue(key, out var teams))
            {
                string[] blockers = [.. teams.Select(team => _teams[team].Name).Order(StringComparer.Ordinal)];
                return ValueTask.FromResult(new DeleteUserResult(DeleteUserOutcome.Referenced, blockers));
            }

            if (FindExact(key) is null)
            {
                return ValueTask.FromResult(new DeleteUserResult(DeleteUserOutcome.NotFound, []));
            }

            _usersByKey.Remove(key);
            _ordered.Remove(key);
            return ValueTask.FromResult(new DeleteUserResult(DeleteUserOutcome.Deleted, []));
        }
    }

    public ValueTask<CreateTeamResult> TryCreateTeamAsync(Team team, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (_teams.TryGetValue(team.Key, out var existing))
            {
                return ValueTask.FromResult(new CreateTeamResult(CreateTeamOutcome.NameTaken, existing, []));
            }

            if (_teams.Count >= _options.TeamCapacity)
            {
                return ValueTask.FromResult(new CreateTeamResult(CreateTeamOutcome.Full, null, []));
            }

            UsernameKey[] unknown = [.. team.References.Where(user => FindExact(user) is null)];
            if (unknown.Length > 0)
            {
                return ValueTask.FromResult(new CreateTeamResult(CreateTeamOutcome.UnknownUsers, null, unknown));
            }

            _teams.Add(team.Key, team);
            foreach (var user in team.References)
            {
                if (!_teamsNaming.TryGetValue(user, out var teams))
                {
                    _teamsNaming.Add(user, teams = []);
                }

                teams.Add(team.Key);
            }

            return ValueTask.FromResult(new CreateTeamResult(CreateTeamOutcome.Created, team, []));
        }
    }

    public ValueTask<Team?> FindTeamAsync(TeamKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_teams.GetValueOrDefault(key));
        }
    }

    public ValueTask<bool> TryDeleteTeamAsync(TeamKey key, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            if (!_teams.Remove(key, out var team))
            {
                return ValueTask.FromResult(false);
            }

            foreach (var user in team.References)
            {
                var teams = _teamsNaming[user];
                teams.Remove(key);
                if (teams.Count == 0)
                {
                    _teamsNaming.Remove(user);
                }
            }

            return ValueTask.FromResult(true);
        }
    }

    /// <summary>The user with exactly this key; a look-alike that the dictionary also matches is not it.</summary>
    private User? FindExact(UsernameKey key) =>
        _usersByKey.TryGetValue(key, out var user) && user.Key == key ? user.ToUser() : null;
}
