using Conflict409.Api.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// Idempotency keys as rows keyed by (client, key), so a key in flight on one instance is in flight for all of
/// them and one client's key never answers another's request. Claiming a key is one INSERT ... ON CONFLICT DO
/// NOTHING: the row that lands first owns it. The quota and capacity are counted before the insert, so racing
/// requests can overshoot them by at most their own number; that bounds the table just as well.
/// </summary>
public sealed class PostgresIdempotencyStore(
    IDbContextFactory<Conflict409Db> databases, IOptions<IdempotencyOptions> options, TimeProvider timeProvider) : IIdempotencyStore
{
    private readonly IdempotencyOptions _options = options.Value;

    public async ValueTask<BeginResult> TryBeginAsync(IdempotencyScope scope, string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        var (client, key) = scope;
        await db.IdempotencyKeys.Where(row => row.Client == client && row.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);

        if (await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(row => row.Client == client && row.Key == key, cancellationToken) is null)
        {
            var clientKeys = db.IdempotencyKeys.Where(row => row.Client == client);
            if (await clientKeys.CountAsync(cancellationToken) >= _options.PerClientCapacity)
            {
                var oldest = await clientKeys.MinAsync(row => row.ExpiresAt, cancellationToken);
                return new BeginResult(BeginOutcome.QuotaExceeded, RetryAfter: oldest - now);
            }

            if (await db.IdempotencyKeys.CountAsync(cancellationToken) >= _options.Capacity)
            {
                await db.IdempotencyKeys.Where(row => row.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
                if (await db.IdempotencyKeys.CountAsync(cancellationToken) >= _options.Capacity)
                {
                    var nextExpiry = await db.IdempotencyKeys.MinAsync(row => row.ExpiresAt, cancellationToken);
                    return new BeginResult(BeginOutcome.Full, RetryAfter: nextExpiry - now);
                }
            }
        }

        var expiresAt = now + _options.KeyLifetime;
        var claimed = await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "IdempotencyKeys" ("Client", "Key", "Fingerprint", "ExpiresAt") VALUES ({client}, {key}, {fingerprint}, {expiresAt}) ON CONFLICT ("Client", "Key") DO NOTHING""",
            cancellationToken);
        if (claimed == 1)
        {
            return new BeginResult(BeginOutcome.Started);
        }

        var existing = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(row => row.Client == client && row.Key == key, cancellationToken);
        return existing switch
        {
            // Released between our insert and this read: try to claim it again.
            null => await TryBeginAsync(scope, fingerprint, cancellationToken),
            { } row when row.Fingerprint != fingerprint => new BeginResult(BeginOutcome.PayloadMismatch),
            { StatusCode: null } => new BeginResult(BeginOutcome.InFlight),
            { } row => new BeginResult(BeginOutcome.Completed, new StoredResponse(row.StatusCode.Value, row.ContentType, row.Location, row.Body ?? [])),
        };
    }

    public async ValueTask CompleteAsync(IdempotencyScope scope, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.IdempotencyKeys
            .Where(row => row.Client == scope.Client && row.Key == scope.Key && row.Fingerprint == fingerprint && row.StatusCode == null)
            .ExecuteUpdateAsync(set => set
                .SetProperty(row => row.StatusCode, response.StatusCode)
                .SetProperty(row => row.ContentType, response.ContentType)
                .SetProperty(row => row.Location, response.Location)
                .SetProperty(row => row.Body, response.Body), cancellationToken);
    }

    public async ValueTask AbandonAsync(IdempotencyScope scope, string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.IdempotencyKeys
            .Where(row => row.Client == scope.Client && row.Key == scope.Key && row.Fingerprint == fingerprint && row.StatusCode == null)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
