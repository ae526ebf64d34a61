using Conflict409.Api.Idempotency;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// Idempotency keys as rows, so a key in flight on one instance is in flight for all of them. Claiming a key
/// is one INSERT ... ON CONFLICT DO NOTHING: the row that lands first owns it.
/// </summary>
public sealed class PostgresIdempotencyStore(
    IDbContextFactory<Conflict409Db> databases, IOptions<IdempotencyOptions> options, TimeProvider timeProvider) : IIdempotencyStore
{
    private readonly IdempotencyOptions _options = options.Value;

    public async ValueTask<BeginResult> TryBeginAsync(string key, string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var now = timeProvider.GetUtcNow();
        await db.IdempotencyKeys.Where(row => row.Key == key && row.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);

        if (await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(row => row.Key == key, cancellationToken) is null
            && await db.IdempotencyKeys.CountAsync(cancellationToken) >= _options.Capacity)
        {
            await db.IdempotencyKeys.Where(row => row.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken);
            if (await db.IdempotencyKeys.CountAsync(cancellationToken) >= _options.Capacity)
            {
                var nextExpiry = await db.IdempotencyKeys.MinAsync(row => row.ExpiresAt, cancellationToken);
                return new BeginResult(BeginOutcome.Full, RetryAfter: nextExpiry - now);
            }
        }

        var expiresAt = now + _options.KeyLifetime;
        var claimed = await db.Database.ExecuteSqlAsync(
            $"""INSERT INTO "IdempotencyKeys" ("Key", "Fingerprint", "ExpiresAt") VALUES ({key}, {fingerprint}, {expiresAt}) ON CONFLICT ("Key") DO NOTHING""",
            cancellationToken);
        if (claimed == 1)
        {
            return new BeginResult(BeginOutcome.Started);
        }

        var existing = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(row => row.Key == key, cancellationToken);
        return existing switch
        {
            // Released between our insert and this read: try to claim it again.
            null => await TryBeginAsync(key, fingerprint, cancellationToken),
            { } row when row.Fingerprint != fingerprint => new BeginResult(BeginOutcome.PayloadMismatch),
            { StatusCode: null } => new BeginResult(BeginOutcome.InFlight),
            { } row => new BeginResult(BeginOutcome.Completed, new StoredResponse(row.StatusCode.Value, row.ContentType, row.Location, row.Body ?? [])),
        };
    }

    public async ValueTask CompleteAsync(string key, string fingerprint, StoredResponse response, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.IdempotencyKeys
            .Where(row => row.Key == key && row.Fingerprint == fingerprint && row.StatusCode == null)
            .ExecuteUpdateAsync(set => set
                .SetProperty(row => row.StatusCode, response.StatusCode)
                .SetProperty(row => row.ContentType, response.ContentType)
                .SetProperty(row => row.Location, response.Location)
                .SetProperty(row => row.Body, response.Body), cancellationToken);
    }

    public async ValueTask AbandonAsync(string key, string fingerprint, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        await db.IdempotencyKeys
            .Where(row => row.Key == key && row.Fingerprint == fingerprint && row.StatusCode == null)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
