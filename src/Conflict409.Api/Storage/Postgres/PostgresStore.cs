using Conflict409.Api.Teams;
using Conflict409.Api.Users;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// Users and teams in PostgreSQL, so that several server instances share one truth. The database decides
/// every conflict: the primary key on the normalised username refuses a duplicate, a conditional UPDATE on
/// the version refuses a stale edit, and foreign keys refuse a dangling team member or the deletion of a
/// referenced user (23503). Nothing checks and then acts.
/// <para>
/// Each operation is one SQL statement, one round trip through the pooled <see cref="NpgsqlDataSource"/>,
/// wherever the outcome allows: an insert and, when the name is taken, the holder it collided with come back
/// together (a data-modifying CTE). EF Core owns the schema and its migrations (<see cref="Conflict409Db"/>);
/// the statements here name its tables and columns. The capacity is held by <see cref="PlaceReservations"/>.
/// </para>
/// </summary>
public sealed class PostgresStore : IUserStore, ITeamStore, IAsyncDisposable
{
    private const string UserColumns = """ "Username", "RegisteredAt", "DisplayName", "Bio", "Version" """;

    // Either unique index refuses the insert: the key (taken) or the skeleton (a look-alike). The second SELECT
    // runs only when the insert returned nothing (its NOT EXISTS is evaluated once, first), and finds that holder
    // by the skeleton alone: a key's skeleton is a function of the key, so the same key's holder has the same
    // skeleton, and one unique-index scan finds either holder (cheaper for PostgreSQL than an OR of two indexes).
    // A row whose skeleton an older confusables table computed is still found by its key, in FindSameOrLookAlikeSql.
    private const string AddUserSql = $"""
        WITH added AS (
            INSERT INTO "Users" ("Key", {UserColumns}, "Skeleton") VALUES ($1, $2, $3, $4, $5, $6, $7)
            ON CONFLICT DO NOTHING RETURNING 1)
        SELECT true, NULL, NULL::timestamptz, NULL, NULL, NULL::bigint, NULL FROM added
        UNION ALL
        SELECT false, {UserColumns}, "Key" FROM "Users"
        WHERE "Skeleton" = $7 AND NOT EXISTS (SELECT FROM added)
        """;

    // The name's own row last, so that it wins over a look-alike when a stale skeleton lets both exist.
    private const string FindSameOrLookAlikeSql = $"""
        SELECT {UserColumns}, "Key" FROM "Users" WHERE "Key" = $1 OR "Skeleton" = $2 ORDER BY "Key" = $1
        """;

    private const string FindUserSql = $"""SELECT {UserColumns} FROM "Users" WHERE "Key" = $1""";

    private const string ListUsersSql = $"""
        SELECT "Key", {UserColumns} FROM "Users" WHERE "Key" > $1 ORDER BY "Key" LIMIT $2
        """;

    private const string UpdateProfileSql = $"""
        WITH updated AS (
            UPDATE "Users" SET "DisplayName" = $3, "Bio" = $4, "Version" = "Version" + 1
            WHERE "Key" = $1 AND ($2::bigint[] IS NULL OR "Version" = ANY($2)) RETURNING {UserColumns})
        SELECT true, {UserColumns} FROM updated
        UNION ALL
        SELECT false, {UserColumns} FROM "Users" WHERE "Key" = $1 AND NOT EXISTS (SELECT FROM updated)
        """;

    private const string BlockingTeamsSql = """
        SELECT "Name" FROM "Teams" t
        WHERE "OwnerKey" = $1 OR EXISTS (SELECT FROM "TeamMembers" m WHERE m."TeamKey" = t."Key" AND m."UserKey" = $1)
        ORDER BY "Name"
        """;

    // A missing owner or member fails the foreign keys at the end of the statement, which then writes nothing.
    private const string CreateTeamSql = """
        WITH team AS (
            INSERT INTO "Teams" ("Key", "Name", "OwnerKey", "Owner") VALUES ($1, $2, $3, $4)
            ON CONFLICT ("Key") DO NOTHING RETURNING "Key"),
        members AS (
            INSERT INTO "TeamMembers" ("TeamKey", "Position", "UserKey", "Username")
            SELECT team."Key", member.position - 1, member.user_key, member.username
            FROM team, unnest($5::text[], $6::text[]) WITH ORDINALITY AS member (user_key, username, position))
        SELECT count(*) FROM team
        """;

    private const string FindTeamSql = """
        SELECT "Name", "Owner", ARRAY(SELECT "Username" FROM "TeamMembers" WHERE "TeamKey" = t."Key" ORDER BY "Position")
        FROM "Teams" t WHERE "Key" = $1
        """;

    private readonly NpgsqlDataSource _database;
    private readonly PlaceReservations _userPlaces;
    private readonly PlaceReservations _teamPlaces;

    public PostgresStore(NpgsqlDataSource database, IOptions<UserStoreOptions> options)
    {
        _database = database;
        _userPlaces = new PlaceReservations(database, CounterRow.Users, options.Value.Capacity);
        _teamPlaces = new PlaceReservations(database, CounterRow.Teams, options.Value.TeamCapacity);
    }

    public async ValueTask<AddUserResult> TryAddAsync(User user, CancellationToken cancellationToken = default)
    {
        var skeleton = UsernameSkeleton.Of(user.Key);
        if (!await _userPlaces.TryTakeAsync(cancellationToken))
        {
            // A taken name is still a conflict in a full store.
            return await FindSameOrLookAlikeAsync(user.Key, skeleton, cancellationToken) ?? new AddUserResult(AddUserOutcome.Full, null);
        }

        AddUserResult? refused;
        try
        {
            await using var command = Command(AddUserSql, user.Key.Value, user.Username, user.RegisteredAt);
            command.Parameters.Add(Parameter(user.Profile.DisplayName));
            command.Parameters.Add(Parameter(user.Profile.Bio));
            command.Parameters.Add(Parameter(user.Version));
            command.Parameters.Add(Parameter(skeleton));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken) && reader.GetBoolean(0))
            {
                return new AddUserResult(AddUserOutcome.Added, user);
            }

            refused = reader.IsOnRow ? ReadHolder(reader, user.Key, 1) : null;
        }
        catch
        {
            await _userPlaces.GiveBackAsync(1);
            throw;
        }

        await _userPlaces.GiveBackAsync(1);
        // Nothing came back: the holder committed after this statement's snapshot was taken. A new statement sees it.
        // A look-alike may also hide the name's own row, when that row's stored skeleton is stale: the rarer look-alike
        // outcome is checked by key as well.
        if (refused is null or { Outcome: AddUserOutcome.LookAlike })
        {
            refused = await FindSameOrLookAlikeAsync(user.Key, skeleton, cancellationToken) ?? refused;
        }

        return refused ?? await TryAddAsync(user, cancellationToken);
    }

    public ValueTask<User?> FindAsync(UsernameKey key, CancellationToken cancellationToken = default) =>
        FindUserAsync(key, cancellationToken);

    public async ValueTask<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var command = _database.CreateCommand("""SELECT count(*) FROM "Users" """);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask<IReadOnlyList<User>> ListAsync(
        UsernameKey? after = null, int limit = int.MaxValue, CancellationToken cancellationToken = default)
    {
        // The key column's "C" collation makes > the ordinal comparison the in-memory store's cursor uses.
        await using var command = Command(ListUsersSql, after?.Value ?? "");
        command.Parameters.Add(Parameter((long)limit));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<User>();
        while (await reader.ReadAsync(cancellationToken))
        {
            users.Add(ReadUser(reader, UsernameKey.From(reader.GetString(0)), 1));
        }

        return users;
    }

    public async ValueTask<UpdateProfileResult> TryUpdateProfileAsync(
        UsernameKey key, VersionPrecondition precondition, UserProfile profile, CancellationToken cancellationToken = default)
    {
        // The version in the WHERE clause is the compare of compare-and-swap: no row updated means someone else won.
        await using var command = Command(UpdateProfileSql, key.Value, precondition.OneOf, profile.DisplayName);
        command.Parameters.Add(Parameter(profile.Bio));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (!await reader.ReadAsync(cancellationToken))
            {
                return new UpdateProfileResult(UpdateProfileOutcome.NotFound, null);
            }

            var current = ReadUser(reader, key, 1);
            if (reader.GetBoolean(0))
            {
                return new UpdateProfileResult(UpdateProfileOutcome.Updated, current);
            }

            // A racing update moved the row on after this statement's snapshot: report the version it moved to.
            if (!precondition.Allows(current.Version))
            {
                return new UpdateProfileResult(UpdateProfileOutcome.VersionMismatch, current);
            }
        }

        return await FindUserAsync(key, cancellationToken) is { } latest
            ? new UpdateProfileResult(UpdateProfileOutcome.VersionMismatch, latest)
            : new UpdateProfileResult(UpdateProfileOutcome.NotFound, null);
    }

    public async ValueTask<DeleteUserResult> TryDeleteAsync(UsernameKey key, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var command = Command("""DELETE FROM "Users" WHERE "Key" = $1""", key.Value);
            if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                return new DeleteUserResult(DeleteUserOutcome.NotFound, []);
            }
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            // A team owns or lists the user; which ones is read only now, on this rarer path.
            var blockers = await BlockingTeamsAsync(key, cancellationToken);
            return blockers.Count > 0
                ? new DeleteUserResult(DeleteUserOutcome.Referenced, blockers)
                : await TryDeleteAsync(key, cancellationToken);
        }

        await _userPlaces.GiveBackAsync(1);
        return new DeleteUserResult(DeleteUserOutcome.Deleted, []);
    }

    public async ValueTask<CreateTeamResult> TryCreateTeamAsync(Team team, CancellationToken cancellationToken = default)
    {
        if (!await _teamPlaces.TryTakeAsync(cancellationToken))
        {
            return await FindTeamAsync(team.Key, cancellationToken) is { } holder
                ? new CreateTeamResult(CreateTeamOutcome.NameTaken, holder, [])
                : new CreateTeamResult(CreateTeamOutcome.Full, null, []);
        }

        var created = false;
        try
        {
            await using var command = Command(CreateTeamSql, team.Key.Value, team.Name, UsernameKey.From(team.Owner).Value);
            command.Parameters.Add(Parameter(team.Owner));
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. team.Members.Select(member => UsernameKey.From(member).Value)] });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. team.Members] });
            created = (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            await _teamPlaces.GiveBackAsync(1);
            var unknown = await UnknownUsersAsync(team, cancellationToken);
            // Every user exists again by now (a racing registration): try once more.
            return unknown.Count > 0
                ? new CreateTeamResult(CreateTeamOutcome.UnknownUsers, null, unknown)
                : await TryCreateTeamAsync(team, cancellationToken);
        }
        catch
        {
            await _teamPlaces.GiveBackAsync(1);
            throw;
        }

        if (created)
        {
            return new CreateTeamResult(CreateTeamOutcome.Created, team, []);
        }

        await _teamPlaces.GiveBackAsync(1);
        return await FindTeamAsync(team.Key, cancellationToken) is { } existing
            ? new CreateTeamResult(CreateTeamOutcome.NameTaken, existing, [])
            : await TryCreateTeamAsync(team, cancellationToken);
    }

    public async ValueTask<bool> TryDeleteTeamAsync(TeamKey key, CancellationToken cancellationToken = default)
    {
        // The members go with the team (ON DELETE CASCADE).
        await using var command = Command("""DELETE FROM "Teams" WHERE "Key" = $1""", key.Value);
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            return false;
        }

        await _teamPlaces.GiveBackAsync(1);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _userPlaces.DisposeAsync();
        await _teamPlaces.DisposeAsync();
    }

    private async ValueTask<User?> FindUserAsync(UsernameKey key, CancellationToken cancellationToken)
    {
        await using var command = Command(FindUserSql, key.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadUser(reader, key, 0) : null;
    }

    /// <summary>The holder of this key (taken), or else of this skeleton (a look-alike); null when the name is free.</summary>
    private async ValueTask<AddUserResult?> FindSameOrLookAlikeAsync(UsernameKey key, string skeleton, CancellationToken cancellationToken)
    {
        await using var command = Command(FindSameOrLookAlikeSql, key.Value);
        command.Parameters.Add(Parameter(skeleton));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        AddUserResult? found = null;
        // Two rows only when the key's own row has a stale skeleton and another holds the current one: the key's own
        // row comes last (the ORDER BY) and wins, since the name itself is taken.
        while (await reader.ReadAsync(cancellationToken))
        {
            found = ReadHolder(reader, key, 0);
        }

        return found;
    }

    /// <summary>Reads a row that refused an insert: the same key (taken) or a look-alike, whose key follows the user columns.</summary>
    private static AddUserResult ReadHolder(NpgsqlDataReader reader, UsernameKey key, int first)
    {
        var holderKey = reader.GetString(first + 5);
        return holderKey == key.Value
            ? new AddUserResult(AddUserOutcome.Taken, ReadUser(reader, key, first))
            : new AddUserResult(AddUserOutcome.LookAlike, ReadUser(reader, UsernameKey.From(holderKey), first));
    }

    public async ValueTask<Team?> FindTeamAsync(TeamKey key, CancellationToken cancellationToken = default)
    {
        await using var command = Command(FindTeamSql, key.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new Team(key, reader.GetString(0), reader.GetString(1), reader.GetFieldValue<string[]>(2))
            : null;
    }

    private async Task<IReadOnlyList<string>> BlockingTeamsAsync(UsernameKey key, CancellationToken cancellationToken)
    {
        await using var command = Command(BlockingTeamsSql, key.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }

    private async Task<IReadOnlyList<UsernameKey>> UnknownUsersAsync(Team team, CancellationToken cancellationToken)
    {
        await using var command = _database.CreateCommand("""SELECT "Key" FROM "Users" WHERE "Key" = ANY($1)""");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. team.References.Select(reference => reference.Value)] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var known = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            known.Add(reader.GetString(0));
        }

        return [.. team.References.Where(reference => !known.Contains(reference.Value))];
    }

    /// <summary>Reads the user columns starting at <paramref name="first"/>.</summary>
    private static User ReadUser(NpgsqlDataReader reader, UsernameKey key, int first) =>
        new(key, reader.GetString(first), reader.GetFieldValue<DateTimeOffset>(first + 1))
        {
            Profile = reader.IsDBNull(first + 2) && reader.IsDBNull(first + 3)
                ? UserProfile.Empty
                : new UserProfile(NullableString(reader, first + 2), NullableString(reader, first + 3)),
            Version = reader.GetInt64(first + 4),
        };

    private static string? NullableString(NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private NpgsqlCommand Command(string sql, string first)
    {
        var command = _database.CreateCommand(sql);
        command.Parameters.Add(Parameter(first));
        return command;
    }

    private NpgsqlCommand Command<T1, T2>(string sql, string first, T1 second, T2 third)
    {
        var command = Command(sql, first);
        command.Parameters.Add(Parameter(second));
        command.Parameters.Add(Parameter(third));
        return command;
    }

    private static NpgsqlParameter<T> Parameter<T>(T value) => new() { TypedValue = value };
}
