using Conflict409.Api.Teams;
using Conflict409.Api.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// Users and teams in PostgreSQL, so that several server instances share one truth. The database decides
/// every conflict: the primary key on the normalised username refuses a duplicate (23505), a conditional
/// UPDATE on the version refuses a stale edit, and foreign keys refuse a dangling team member (23503).
/// Nothing checks and then acts.
/// </summary>
public sealed class PostgresStore(IDbContextFactory<Conflict409Db> databases, IOptions<UserStoreOptions> options) : IUserStore, ITeamStore
{
    private readonly UserStoreOptions _options = options.Value;

    public async ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var skeleton = UsernameSkeleton.Of(user.Key);
        if (await FindSameOrLookAlikeAsync(db, user.Key, skeleton, cancellationToken) is { } existing)
        {
            return existing;
        }

        // Reserve a place first, as its own short statement, and give it back if the insert fails: the
        // counter row is locked for one UPDATE, not for a whole transaction, so registrations barely queue.
        if (!await TryIncrementAsync(db, CounterRow.Users, _options.Capacity, cancellationToken))
        {
            return new AddUserResult(AddUserOutcome.Full, null);
        }

        db.Users.Add(ToRow(user, skeleton));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return new AddUserResult(AddUserOutcome.Added, user);
        }
        catch (DbUpdateException exception) when (exception.Is(PostgresErrorCodes.UniqueViolation))
        {
            // Another request, perhaps on another instance, inserted the name or a look-alike first.
            await DecrementAsync(db, CounterRow.Users, 1, CancellationToken.None);
            db.ChangeTracker.Clear();
            return await FindSameOrLookAlikeAsync(db, user.Key, skeleton, cancellationToken)
                ?? await TryAddAsync(user, cancellationToken);
        }
        catch
        {
            await DecrementAsync(db, CounterRow.Users, 1, CancellationToken.None);
            throw;
        }
    }

    async ValueTask<User?> IUserStore.FindAsync(UsernameKey key, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await FindRowAsync(db, key, cancellationToken) is { } row ? ToUser(row) : null;
    }

    public async ValueTask<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        return await db.Users.CountAsync(cancellationToken);
    }

    public async ValueTask<IReadOnlyList<User>> ListAsync(
        UsernameKey? after = null, int limit = int.MaxValue, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        if (after is { Value: var cursor })
        {
            // Translated to SQL "Key" > @cursor; the column's "C" collation makes that an ordinal comparison.
#pragma warning disable CA1309
            users = users.Where(row => string.Compare(row.Key, cursor) > 0);
#pragma warning restore CA1309
        }

        var rows = await users.OrderBy(row => row.Key).Take(limit).ToListAsync(cancellationToken);
        return [.. rows.Select(ToUser)];
    }

    public async ValueTask<UpdateProfileResult> TryUpdateProfileAsync(
        UsernameKey key, long expectedVersion, UserProfile profile, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        // The version in the WHERE clause is the compare of compare-and-swap: zero rows means someone else won.
        var updated = await db.Users
            .Where(row => row.Key == key.Value && row.Version == expectedVersion)
            .ExecuteUpdateAsync(set => set
                .SetProperty(row => row.DisplayName, profile.DisplayName)
                .SetProperty(row => row.Bio, profile.Bio)
                .SetProperty(row => row.Version, row => row.Version + 1), cancellationToken);
        var current = await FindRowAsync(db, key, cancellationToken);
        if (current is null)
        {
            return new UpdateProfileResult(UpdateProfileOutcome.NotFound, null);
        }

        if (updated == 0)
        {
            return new UpdateProfileResult(UpdateProfileOutcome.VersionMismatch, ToUser(current));
        }

        // Report the state this update produced, even if a later update has already replaced it.
        return new UpdateProfileResult(UpdateProfileOutcome.Updated, ToUser(current) with { Profile = profile, Version = expectedVersion + 1 });
    }

    public async ValueTask<DeleteUserResult> TryDeleteAsync(UsernameKey key, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var blockers = await BlockingTeamsAsync(db, key, cancellationToken);
        if (blockers.Count > 0)
        {
            return new DeleteUserResult(DeleteUserOutcome.Referenced, blockers);
        }

        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var deleted = await db.Users.Where(row => row.Key == key.Value).ExecuteDeleteAsync(cancellationToken);
            await DecrementAsync(db, CounterRow.Users, deleted, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new DeleteUserResult(deleted == 1 ? DeleteUserOutcome.Deleted : DeleteUserOutcome.NotFound, []);
        }
        catch (Exception exception) when (exception.Is(PostgresErrorCodes.ForeignKeyViolation))
        {
            // A team naming the user was created between the check and the delete; the foreign key caught it.
            return new DeleteUserResult(DeleteUserOutcome.Referenced, await BlockingTeamsAsync(db, key, cancellationToken));
        }
    }

    public async ValueTask<CreateTeamResult> TryCreateAsync(Team team, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        if (await db.Teams.AsNoTracking().Include(row => row.Members).FirstOrDefaultAsync(row => row.Key == team.Key.Value, cancellationToken) is { } existing)
        {
            return new CreateTeamResult(CreateTeamOutcome.NameTaken, ToTeam(existing), []);
        }

        if (await UnknownUsersAsync(db, team, cancellationToken) is { Count: > 0 } unknown)
        {
            return new CreateTeamResult(CreateTeamOutcome.UnknownUsers, null, unknown);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await TryIncrementAsync(db, CounterRow.Teams, _options.TeamCapacity, cancellationToken))
        {
            return new CreateTeamResult(CreateTeamOutcome.Full, null, []);
        }

        db.Teams.Add(ToRow(team));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return new CreateTeamResult(CreateTeamOutcome.Created, team, []);
        }
        catch (DbUpdateException exception) when (exception.Is(PostgresErrorCodes.UniqueViolation))
        {
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            var winner = await db.Teams.AsNoTracking().Include(row => row.Members).FirstAsync(row => row.Key == team.Key.Value, cancellationToken);
            return new CreateTeamResult(CreateTeamOutcome.NameTaken, ToTeam(winner), []);
        }
        catch (DbUpdateException exception) when (exception.Is(PostgresErrorCodes.ForeignKeyViolation))
        {
            // A named user was deleted between the check and the insert; the foreign key caught it.
            await transaction.RollbackAsync(cancellationToken);
            db.ChangeTracker.Clear();
            return new CreateTeamResult(CreateTeamOutcome.UnknownUsers, null, await UnknownUsersAsync(db, team, cancellationToken));
        }
    }

    async ValueTask<Team?> ITeamStore.FindAsync(UsernameKey key, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var row = await db.Teams.AsNoTracking().Include(team => team.Members).FirstOrDefaultAsync(team => team.Key == key.Value, cancellationToken);
        return row is null ? null : ToTeam(row);
    }

    async ValueTask<bool> ITeamStore.TryDeleteAsync(UsernameKey key, CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.Teams.Where(team => team.Key == key.Value).ExecuteDeleteAsync(cancellationToken);
        await DecrementAsync(db, CounterRow.Teams, deleted, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return deleted == 1;
    }

    /// <summary>Takes a place under the capacity, or reports none left, in one atomic UPDATE.</summary>
    private static async Task<bool> TryIncrementAsync(Conflict409Db db, string counter, int capacity, CancellationToken cancellationToken) =>
        await db.Counters
            .Where(row => row.Name == counter && row.Value < capacity)
            .ExecuteUpdateAsync(set => set.SetProperty(row => row.Value, row => row.Value + 1), cancellationToken) == 1;

    private static Task DecrementAsync(Conflict409Db db, string counter, int by, CancellationToken cancellationToken) =>
        by == 0
            ? Task.CompletedTask
            : db.Counters.Where(row => row.Name == counter)
                .ExecuteUpdateAsync(set => set.SetProperty(row => row.Value, row => row.Value - by), cancellationToken);

    /// <summary>The holder of this key (taken), or else of this skeleton (a look-alike); null when the name is free.</summary>
    private static async Task<AddUserResult?> FindSameOrLookAlikeAsync(
        Conflict409Db db, UsernameKey key, string skeleton, CancellationToken cancellationToken)
    {
        var rows = await db.Users.AsNoTracking()
            .Where(row => row.Key == key.Value || row.Skeleton == skeleton)
            .ToListAsync(cancellationToken);
        return rows.FirstOrDefault(row => row.Key == key.Value) is { } same ? new AddUserResult(AddUserOutcome.Taken, ToUser(same))
            : rows.FirstOrDefault() is { } lookAlike ? new AddUserResult(AddUserOutcome.LookAlike, ToUser(lookAlike))
            : null;
    }

    private static Task<UserRow?> FindRowAsync(Conflict409Db db, UsernameKey key, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().FirstOrDefaultAsync(row => row.Key == key.Value, cancellationToken);

    private static async Task<IReadOnlyList<string>> BlockingTeamsAsync(Conflict409Db db, UsernameKey key, CancellationToken cancellationToken) =>
        await db.Teams
            .Where(team => team.OwnerKey == key.Value || team.Members.Any(member => member.UserKey == key.Value))
            .OrderBy(team => team.Name)
            .Select(team => team.Name)
            .ToListAsync(cancellationToken);

    private static async Task<IReadOnlyList<UsernameKey>> UnknownUsersAsync(Conflict409Db db, Team team, CancellationToken cancellationToken)
    {
        var keys = team.References.Select(reference => reference.Value).ToArray();
        var known = await db.Users.Where(row => keys.Contains(row.Key)).Select(row => row.Key).ToListAsync(cancellationToken);
        return [.. team.References.Where(reference => !known.Contains(reference.Value))];
    }

    private static UserRow ToRow(User user, string skeleton) => new()
    {
        Key = user.Key.Value,
        Username = user.Username,
        Skeleton = skeleton,
        RegisteredAt = user.RegisteredAt,
        DisplayName = user.Profile.DisplayName,
        Bio = user.Profile.Bio,
        Version = user.Version,
    };

    private static User ToUser(UserRow row) => new(UsernameKey.From(row.Key), row.Username, row.RegisteredAt)
    {
        Profile = new UserProfile(row.DisplayName, row.Bio),
        Version = row.Version,
    };

    private static TeamRow ToRow(Team team) => new()
    {
        Key = team.Key.Value,
        Name = team.Name,
        OwnerKey = UsernameKey.From(team.Owner).Value,
        Owner = team.Owner,
        Members = [.. team.Members.Select((member, position) => new TeamMemberRow
        {
            TeamKey = team.Key.Value,
            Position = position,
            UserKey = UsernameKey.From(member).Value,
            Username = member,
        })],
    };

    private static Team ToTeam(TeamRow row) =>
        new(UsernameKey.From(row.Key), row.Name, row.Owner, [.. row.Members.OrderBy(member => member.Position).Select(member => member.Username)]);
}
