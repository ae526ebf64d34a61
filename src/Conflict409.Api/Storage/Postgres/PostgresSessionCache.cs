using Conflict409.Api.Shop;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// The <see cref="IDistributedCache"/> that ASP.NET Core's session keeps lesson 7's sessions in when the store is
/// PostgreSQL, so a session started on one instance is live on every other: one row per session cookie. Each
/// operation is one statement, one round trip; a database that cannot be reached throws, which the handler turns
/// into a 503 (<see cref="DatabaseUnavailableHandler"/>).
/// <para>
/// Bounded as the memory cache is: a read slides the entry's expiry (Shop:SessionIdleTimeout, which the session
/// passes as the sliding expiration) and never returns an expired entry; every write removes a few expired rows
/// (anyone's); and the live entries' bytes stay within Shop:SessionStoreBytes — a write that would pass it keeps
/// nothing under its key, so the session's next request is a 400 session-required, never a 5xx. The bytes are
/// counted from the statement's snapshot, so writes racing for the last room can overshoot it by at most their own
/// number of entries (a session is under 200 bytes). Unlike the memory cache, a full table does not evict the least
/// recently used entries: new sessions wait for old ones to expire.
/// </para>
/// </summary>
public sealed class PostgresSessionCache(NpgsqlDataSource database, IOptions<ShopOptions> options, TimeProvider timeProvider)
    : IDistributedCache
{
    /// <summary>How many expired rows one write removes: a session's first write adds one row, so this outpaces them.</summary>
    private const int PurgePerWrite = 8;

    // $1 key, $2 now.
    private const string ReadSql = """
        UPDATE "SessionCache" SET "ExpiresAt" = least($2 + "SlidingExpiration", coalesce("AbsoluteExpiresAt", 'infinity'))
        WHERE "Key" = $1 AND "ExpiresAt" > $2
        RETURNING "Value"
        """;

    // $1 key, $2 now.
    private const string RefreshSql = """
        UPDATE "SessionCache" SET "ExpiresAt" = least($2 + "SlidingExpiration", coalesce("AbsoluteExpiresAt", 'infinity'))
        WHERE "Key" = $1 AND "ExpiresAt" > $2 AND "SlidingExpiration" IS NOT NULL
        """;

    // $1 key.
    private const string RemoveSql = """DELETE FROM "SessionCache" WHERE "Key" = $1""";

    // $1 key, $2 now, $3 value, $4 its length, $5 expiry, $6 sliding expiration, $7 absolute expiry, $8 the bound.
    private static readonly string WriteSql = $"""
        WITH purged AS (
            DELETE FROM "SessionCache" WHERE ctid IN (
                SELECT ctid FROM "SessionCache" WHERE "ExpiresAt" <= $2 AND "Key" <> $1
                LIMIT {PurgePerWrite} FOR UPDATE SKIP LOCKED)),
        room AS (
            SELECT coalesce(sum(octet_length("Value")), 0) + $4 <= $8 AS fits
            FROM "SessionCache" WHERE "ExpiresAt" > $2 AND "Key" <> $1),
        dropped AS (
            DELETE FROM "SessionCache" WHERE "Key" = $1 AND NOT (SELECT fits FROM room))
        INSERT INTO "SessionCache" ("Key", "Value", "ExpiresAt", "SlidingExpiration", "AbsoluteExpiresAt")
        SELECT $1, $3, $5, $6, $7 WHERE (SELECT fits FROM room)
        ON CONFLICT ("Key") DO UPDATE SET
            "Value" = EXCLUDED."Value", "ExpiresAt" = EXCLUDED."ExpiresAt",
            "SlidingExpiration" = EXCLUDED."SlidingExpiration", "AbsoluteExpiresAt" = EXCLUDED."AbsoluteExpiresAt"
        """;

    public byte[]? Get(string key)
    {
        using var command = Command(ReadSql, key);
        return command.ExecuteScalar() as byte[];
    }

    public async Task<byte[]?> GetAsync(string key, CancellationToken token = default)
    {
        await using var command = Command(ReadSql, key);
        return await command.ExecuteScalarAsync(token) as byte[];
    }

    public void Refresh(string key)
    {
        using var command = Command(RefreshSql, key);
        command.ExecuteNonQuery();
    }

    public async Task RefreshAsync(string key, CancellationToken token = default)
    {
        await using var command = Command(RefreshSql, key);
        await command.ExecuteNonQueryAsync(token);
    }

    public void Remove(string key)
    {
        using var command = database.CreateCommand(RemoveSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.ExecuteNonQuery();
    }

    public async Task RemoveAsync(string key, CancellationToken token = default)
    {
        await using var command = database.CreateCommand(RemoveSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        await command.ExecuteNonQueryAsync(token);
    }

    public void Set(string key, byte[] value, DistributedCacheEntryOptions options)
    {
        using var command = WriteCommand(key, value, options);
        command.ExecuteNonQuery();
    }

    public async Task SetAsync(string key, byte[] value, DistributedCacheEntryOptions options, CancellationToken token = default)
    {
        await using var command = WriteCommand(key, value, options);
        await command.ExecuteNonQueryAsync(token);
    }

    private NpgsqlCommand Command(string sql, string key)
    {
        var command = database.CreateCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = timeProvider.GetUtcNow() });
        return command;
    }

    private NpgsqlCommand WriteCommand(string key, byte[] value, DistributedCacheEntryOptions entry)
    {
        var now = timeProvider.GetUtcNow();
        var absolute = entry.AbsoluteExpiration ?? now + entry.AbsoluteExpirationRelativeToNow;
        if (absolute <= now)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), absolute, "The absolute expiration value must be in the future.");
        }

        // An entry given no expiry at all lives as long as an idle session: nothing in this table lives forever.
        var sliding = entry.SlidingExpiration ?? (absolute is null ? options.Value.SessionIdleTimeout : null);
        var expires = sliding is { } idle && (absolute is null || now + idle < absolute) ? now + idle : absolute!.Value;

        var command = Command(WriteSql, key);
        command.Parameters.Add(new NpgsqlParameter<byte[]> { TypedValue = value });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = value.Length });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = expires });
        command.Parameters.Add(new NpgsqlParameter { Value = sliding is { } slides ? slides : DBNull.Value, NpgsqlDbType = NpgsqlDbType.Interval });
        command.Parameters.Add(new NpgsqlParameter { Value = absolute is { } until ? until : DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = options.Value.SessionStoreBytes });
        return command;
    }
}
