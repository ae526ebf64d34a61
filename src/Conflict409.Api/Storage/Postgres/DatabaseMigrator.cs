using Conflict409.Api.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// Applies the EF Core migrations and the seed users when the server starts. A database that is down must
/// not keep the server from starting (it answers 503 until the database is back), so a failed attempt is
/// logged and retried in the background.
/// </summary>
public sealed partial class DatabaseMigrator(
    IDbContextFactory<Conflict409Db> databases,
    IOptions<UserStoreOptions> options,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILogger<DatabaseMigrator> logger) : IHostedService
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(5);
    private Task _retries = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!await TryMigrateAsync(cancellationToken))
        {
            _retries = RetryUntilMigratedAsync(lifetime.ApplicationStopping);
        }
    }

    // ApplicationStopping is cancelled before hosted services are stopped, which ends the retries.
    public async Task StopAsync(CancellationToken cancellationToken) =>
        await _retries.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);

    private async Task RetryUntilMigratedAsync(CancellationToken cancellationToken)
    {
        do
        {
            await Task.Delay(RetryInterval, timeProvider, cancellationToken);
        }
        while (!await TryMigrateAsync(cancellationToken));
    }

    private async Task<bool> TryMigrateAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            await db.Database.MigrateAsync(cancellationToken);
            var now = timeProvider.GetUtcNow();
            foreach (var username in options.Value.Seed)
            {
                var key = UsernameKey.From(username).Value;
                var skeleton = UsernameSkeleton.Of(key);
                await db.Database.ExecuteSqlAsync(
                    $"""INSERT INTO "Users" ("Key", "Username", "Skeleton", "RegisteredAt", "Version") VALUES ({key}, {username}, {skeleton}, {now}, {User.FirstVersion}) ON CONFLICT DO NOTHING""",
                    cancellationToken);
            }

            // Recount, in case a crashed instance left places reserved (PlaceReservations): but only when no other
            // server is connected, as one that is may hold reserved places the recount would hand out again.
            await db.Database.ExecuteSqlAsync($"""
                UPDATE "Counters" SET "Value" = CASE "Name" WHEN {CounterRow.Users} THEN (SELECT count(*) FROM "Users")
                                                            ELSE (SELECT count(*) FROM "Teams") END
                WHERE "Name" IN ({CounterRow.Users}, {CounterRow.Teams}) AND NOT EXISTS (
                    SELECT FROM pg_stat_activity
                    WHERE datname = current_database() AND application_name = current_setting('application_name') AND pid <> pg_backend_pid())
                """, cancellationToken);
            return true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogMigrationFailed(logger, exception, RetryInterval.TotalSeconds);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database could not be migrated; retrying in {Seconds} s")]
    private static partial void LogMigrationFailed(ILogger logger, Exception exception, double seconds);
}
