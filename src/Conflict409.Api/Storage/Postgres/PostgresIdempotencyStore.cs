using Conflict409.Api.Idempotency;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// Idempotency keys as rows keyed by (client, key), so a key in flight on one instance is in flight for all of
/// them and one client's key never answers another's request. Each operation is one statement, one round trip.
/// <para>
/// Claiming a key is an INSERT ... ON CONFLICT: the row that lands first owns the key, and an expired row under
/// the same key is taken over in place. The same statement returns what the caller needs when it does not land:
/// the live row (replay, in flight, another payload), or the client's and the server's counts of live keys (over
/// the quota, full) with the expiry that frees a place. The counts come from the statement's snapshot, so
/// requests racing for the last places can overshoot them by at most their own number; that bounds the table
/// just as well. Expired rows are ignored by every count and purged a few at a time by the claims themselves.
/// </para>
/// </summary>
public sealed class PostgresIdempotencyStore(
    NpgsqlDataSource database, IOptions<IdempotencyOptions> options, TimeProvider timeProvider) : IIdempotencyStore
{
    /// <summary>How many expired rows (anyone's) one claim removes: enough to outpace the claims that add rows.</summary>
    private const int PurgePerClaim = 8;

    // $1 client, $2 key, $3 now, $4 fingerprint, $5 expiry of a new key, $6 per-client quota, $7 capacity,
    // $8 when the claiming request is due to complete.
    private static readonly string ClaimSql = $"""
        WITH purged AS (
            DELETE FROM "IdempotencyKeys" WHERE ctid IN (
                SELECT ctid FROM "IdempotencyKeys"
                WHERE "ExpiresAt" <= $3 AND NOT ("Client" = $1 AND "Key" = $2)
                LIMIT {PurgePerClaim} FOR UPDATE SKIP LOCKED)),
        existing AS (
            SELECT "Fingerprint", "StatusCode", "ContentType", "Location", "Body", "DueAt" FROM "IdempotencyKeys"
            WHERE "Client" = $1 AND "Key" = $2 AND "ExpiresAt" > $3),
        mine AS (
            SELECT count(*) AS live, min("ExpiresAt") AS oldest FROM "IdempotencyKeys" WHERE "Client" = $1 AND "ExpiresAt" > $3),
        everyone AS (
            SELECT count(*) AS live FROM (SELECT FROM "IdempotencyKeys" WHERE "ExpiresAt" > $3 LIMIT $7) counted),
        claimed AS (
            INSERT INTO "IdempotencyKeys" ("Client", "Key", "Fingerprint", "ExpiresAt", "DueAt")
            SELECT $1, $2, $4, $5, $8
            WHERE NOT EXISTS (SELECT FROM existing) AND (SELECT live FROM mine) < $6 AND (SELECT live FROM everyone) < $7
            ON CONFLICT ("Client", "Key") DO UPDATE SET
                "Fingerprint" = EXCLUDED."Fingerprint", "ExpiresAt" = EXCLUDED."ExpiresAt", "DueAt" = EXCLUDED."DueAt",
                "StatusCode" = NULL, "ContentType" = NULL, "Location" = NULL, "Body" = NULL
            WHERE "IdempotencyKeys"."ExpiresAt" <= $3
            RETURNING 1)
        SELECT EXISTS (SELECT FROM claimed), e."Fingerprint", e."StatusCode", e."ContentType", e."Location", e."Body",
            mine.live, mine.oldest, everyone.live,
            (SELECT min("ExpiresAt") FROM "IdempotencyKeys" WHERE "ExpiresAt" > $3), e."DueAt"
        FROM mine, everyone LEFT JOIN existing e ON true
        """;

    private const string CompleteSql = """
        UPDATE "IdempotencyKeys" SET "StatusCode" = $4, "ContentType" = $5, "Location" = $6, "Body" = $7
        WHERE "Client" = $1 AND "Key" = $2 AND "Fingerprint" = $3 AND "StatusCode" IS NULL
        """;

    private const string AbandonSql = """
        DELETE FROM "IdempotencyKeys" WHERE "Client" = $1 AND "Key" = $2 AND "Fingerprint" = $3 AND "StatusCode" IS NULL
        """;

    private readonly IdempotencyOptions _options = options.Value;

    public async ValueTask<BeginResult> TryBeginAsync(
        IdempotencyScope scope, string fingerprint, TimeSpan expectedDuration, CancellationToken cancellationToken = default)
    {
        var now = timeProvider.GetUtcNow();
        await using var command = Command(ClaimSql, scope, now);
        command.Parameters.Add(Parameter(fingerprint));
        command.Parameters.Add(Parameter(now + _options.KeyLifetime));
        command.Parameters.Add(Parameter((long)_options.PerClientCapacity));
        command.Parameters.Add(Parameter((long)_options.Capacity));
        command.Parameters.Add(Parameter(now + expectedDuration));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            await reader.ReadAsync(cancellationToken);
            if (reader.GetBoolean(0))
            {
                return new BeginResult(BeginOutcome.Started);
            }

            if (!reader.IsDBNull(1))
            {
                return reader.GetString(1) != fingerprint ? new BeginResult(BeginOutcome.PayloadMismatch)
                    : reader.IsDBNull(2) ? new BeginResult(
                        BeginOutcome.InFlight, RetryAfter: reader.IsDBNull(10) ? TimeSpan.Zero : reader.GetFieldValue<DateTimeOffset>(10) - now)
                    : new BeginResult(BeginOutcome.Completed, new StoredResponse(
                        reader.GetInt32(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetString(4),
                        reader.IsDBNull(5) ? [] : reader.GetFieldValue<byte[]>(5)));
            }

            if (reader.GetInt64(6) >= _options.PerClientCapacity)
            {
                return new BeginResult(BeginOutcome.QuotaExceeded, RetryAfter: reader.GetFieldValue<DateTimeOffset>(7) - now);
            }

            if (reader.GetInt64(8) >= _options.Capacity)
            {
                return new BeginResult(BeginOutcome.Full, RetryAfter: reader.GetFieldValue<DateTimeOffset>(9) - now);
            }
        }

        // Claimed by a request that committed after this statement's snapshot was taken: a new statement sees it.
        return await TryBeginAsync(scope, fingerprint, expectedDuration, cancellationToken);
    }

    public async ValueTask CompleteAsync(IdempotencyScope scope, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default)
    {
        await using var command = Command(CompleteSql, scope, fingerprint);
        command.Parameters.Add(Parameter(response.StatusCode));
        command.Parameters.Add(Parameter(response.ContentType));
        command.Parameters.Add(Parameter(response.Location));
        command.Parameters.Add(Parameter(response.Body));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask AbandonAsync(IdempotencyScope scope, string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var command = Command(AbandonSql, scope, fingerprint);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand Command<T>(string sql, IdempotencyScope scope, T third)
    {
        var command = database.CreateCommand(sql);
        command.Parameters.Add(Parameter(scope.Client));
        command.Parameters.Add(Parameter(scope.Key));
        command.Parameters.Add(Parameter(third));
        return command;
    }

    private static NpgsqlParameter<T> Parameter<T>(T value) => new() { TypedValue = value };
}
