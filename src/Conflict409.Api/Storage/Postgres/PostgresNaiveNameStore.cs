using Conflict409.Api.Races;
using Conflict409.Api.Users;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// DELIBERATELY WRONG where lesson 6 needs it — do not copy. Every client's naive list in two tables, so that a race
/// sent half to one instance and half to another is one race in one list, seen alike from both. The check is a SELECT
/// and the add a later INSERT, two round trips with the handler's think time between them, and the INSERT never looks
/// for the name again: nothing in the schema refuses a second copy (no unique index on the name). Only what the
/// in-memory list's lock gives it is kept: a client's adds and its DELETE take its list row's lock, so the copies each
/// add reports and the per-client capacity are exact, as they are in one process.
/// </summary>
public sealed class PostgresNaiveNameStore(
    NpgsqlDataSource database, IOptions<RaceLabOptions> options, TimeProvider timeProvider) : INaiveNameStore
{
    // $1 client, $2 key, $3 now, $4 idle since (now - NaiveIdleTimeout), $5 NaiveClients.
    // The client's list is touched, or made when there is room; idle lists are forgotten (with their names) only when
    // a new client needs the room, as in memory. Lists being added to are skipped, not waited for. The count comes from
    // the statement's snapshot, so new clients arriving at the same instant can overshoot NaiveClients by their number.
    private const string CheckSql = """
        WITH mine AS (SELECT FROM "NaiveLists" WHERE "Client" = $1),
        kept AS (SELECT count(*) AS lists FROM (SELECT FROM "NaiveLists" LIMIT $5) counted),
        forgotten AS (
            DELETE FROM "NaiveLists" WHERE "Client" IN (
                SELECT "Client" FROM "NaiveLists"
                WHERE "LastUsed" <= $4 AND NOT EXISTS (SELECT FROM mine) AND (SELECT lists FROM kept) >= $5
                FOR UPDATE SKIP LOCKED)
            RETURNING 1),
        list AS (
            INSERT INTO "NaiveLists" ("Client", "LastUsed") SELECT $1, $3
            WHERE EXISTS (SELECT FROM mine) OR (SELECT lists FROM kept) - (SELECT count(*) FROM forgotten) < $5
            ON CONFLICT ("Client") DO UPDATE SET "LastUsed" = EXCLUDED."LastUsed"
            RETURNING 1)
        SELECT EXISTS (SELECT FROM list),
            (SELECT "Username" FROM "NaiveNames" WHERE "Client" = $1 AND "Key" = $2 ORDER BY "Id" LIMIT 1)
        """;

    // The list's lock, taken first in the batch (one implicit transaction): the next statement's snapshot is then taken
    // after every earlier add of this client committed, and no later one commits before it. A list forgotten while its
    // client thought is made again. $1 client, $2 now.
    private const string LockListSql = """
        INSERT INTO "NaiveLists" ("Client", "LastUsed") VALUES ($1, $2)
        ON CONFLICT ("Client") DO UPDATE SET "LastUsed" = EXCLUDED."LastUsed"
        """;

    // Step 2, without looking for the name: only the capacity is checked. $1 client, $2 key, $3 username, $4 capacity.
    // RETURNING reads the statement's snapshot, which does not hold this row yet: hence the + 1.
    private const string AppendSql = """
        INSERT INTO "NaiveNames" ("Client", "Key", "Username")
        SELECT $1, $2, $3 WHERE (SELECT count(*) FROM (SELECT FROM "NaiveNames" WHERE "Client" = $1 LIMIT $4) counted) < $4
        RETURNING (SELECT count(*) FROM "NaiveNames" WHERE "Client" = $1 AND "Key" = $2) + 1
        """;

    // $1 client, $2 key, $3 now. Reading a list touches it, never makes it.
    private const string CountCopiesSql = """
        WITH touched AS (UPDATE "NaiveLists" SET "LastUsed" = $3 WHERE "Client" = $1)
        SELECT count(*) FROM "NaiveNames" WHERE "Client" = $1 AND "Key" = $2
        """;

    // Emptying a list touches it, never makes it. $1 client, $2 now.
    private const string TouchListSql = """UPDATE "NaiveLists" SET "LastUsed" = $2 WHERE "Client" = $1""";

    private const string ClearSql = """DELETE FROM "NaiveNames" WHERE "Client" = $1""";

    private readonly RaceLabOptions _options = options.Value;

    public async ValueTask<NaiveCheck> CheckNaivelyAsync(string client, UsernameKey key, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var command = database.CreateCommand(CheckSql);
        command.Parameters.Add(Parameter(client));
        command.Parameters.Add(Parameter(key.Value));
        command.Parameters.Add(Parameter(now));
        command.Parameters.Add(Parameter(now - _options.NaiveIdleTimeout));
        command.Parameters.Add(Parameter((long)_options.NaiveClients));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return !reader.GetBoolean(0) ? new NaiveCheck(NaiveCheckOutcome.NoRoomForList)
            : reader.IsDBNull(1) ? new NaiveCheck(NaiveCheckOutcome.Absent)
            : new NaiveCheck(NaiveCheckOutcome.Present, reader.GetString(1));
    }

    public async ValueTask<NaiveAppend> AppendNaivelyAsync(
        string client, UsernameKey key, string username, CancellationToken cancellationToken = default)
    {
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Statement(LockListSql, client, timeProvider.GetUtcNow()));
        var append = Statement(AppendSql, client, key.Value);
        append.Parameters.Add(Parameter(username));
        append.Parameters.Add(Parameter((long)_options.NaiveCapacity));
        batch.BatchCommands.Add(append);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new NaiveAppend(NaiveAppendOutcome.Appended, (int)reader.GetInt64(0))
            : new NaiveAppend(NaiveAppendOutcome.ListFull);
    }

    public async ValueTask<int> CountNaiveCopiesAsync(string client, UsernameKey key, CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand(CountCopiesSql);
        command.Parameters.Add(Parameter(client));
        command.Parameters.Add(Parameter(key.Value));
        command.Parameters.Add(Parameter(timeProvider.GetUtcNow()));
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask ClearNaiveNamesAsync(string client, CancellationToken cancellationToken = default)
    {
        // The lock first, as for an add, so that an add racing the DELETE is wholly before it or wholly after it.
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(Statement(TouchListSql, client, timeProvider.GetUtcNow()));
        var clear = new NpgsqlBatchCommand(ClearSql);
        clear.Parameters.Add(Parameter(client));
        batch.BatchCommands.Add(clear);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<int> CountNaiveListsAsync(CancellationToken cancellationToken = default)
    {
        await using var command = database.CreateCommand("""SELECT count(*) FROM "NaiveLists" """);
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private static NpgsqlBatchCommand Statement<T>(string sql, string client, T second)
    {
        var statement = new NpgsqlBatchCommand(sql);
        statement.Parameters.Add(Parameter(client));
        statement.Parameters.Add(Parameter(second));
        return statement;
    }

    private static NpgsqlParameter<T> Parameter<T>(T value) => new() { TypedValue = value };
}
