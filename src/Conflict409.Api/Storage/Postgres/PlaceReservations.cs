using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// Places under a capacity that every server instance on one database shares (see <see cref="CounterRow"/>).
/// An instance reserves places from the counter row in blocks and hands them out from memory, so a
/// registration does not queue on that one row: the row is written once per block, not once per insert.
/// <para>
/// The counter holds the stored rows plus the places instances hold unused, so the rows never exceed the
/// capacity. The price is an early 507: an instance that finds the counter at the capacity answers 507 while
/// other instances may still hold unused places, at most one block each. Blocks shrink near the capacity
/// (to a quarter of the room left, at least one place), so that gap narrows as the store fills.
/// </para>
/// </summary>
public sealed class PlaceReservations(NpgsqlDataSource database, string counter, int capacity) : IAsyncDisposable
{
    /// <summary>The most places one reservation takes: one counter write per this many registrations.</summary>
    public const int BlockSize = 64;

    // The CTE locks the row (re-reading its latest version if another instance just wrote it) and computes the
    // grant from it, so the update can return how many places it granted: zero when the counter is full.
    private const string ReserveSql = """
        WITH block AS (
            SELECT LEAST($2, GREATEST(1, ($3 - "Value") / 4)) AS places
            FROM "Counters" WHERE "Name" = $1 AND "Value" < $3 FOR UPDATE)
        UPDATE "Counters" SET "Value" = "Value" + block.places FROM block WHERE "Name" = $1
        RETURNING block.places
        """;

    private const string GiveBackSql = """UPDATE "Counters" SET "Value" = "Value" - $2 WHERE "Name" = $1""";

    private readonly Lock _lock = new();
    private int _held;
    private Task<int>? _reserving;

    /// <summary>Takes one place: from memory when this instance holds one, else from a new block.</summary>
    /// <returns>False when the store is full.</returns>
    public ValueTask<bool> TryTakeAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_held > 0)
            {
                _held--;
                return ValueTask.FromResult(true);
            }
        }

        return TakeFromNewBlockAsync(cancellationToken);
    }

    /// <summary>Gives back places that were taken but not used, or that a deletion freed.</summary>
    public ValueTask GiveBackAsync(int places)
    {
        int surplus;
        lock (_lock)
        {
            _held += places;
            // Deletions must not pile places up here while other instances answer 507.
            surplus = _held > BlockSize ? _held - BlockSize : 0;
            _held -= surplus;
        }

        return surplus == 0 ? ValueTask.CompletedTask : GiveBackToCounterAsync(surplus, CancellationToken.None);
    }

    /// <summary>Returns the places this instance still holds when it stops, so no other instance loses them.</summary>
    public async ValueTask DisposeAsync()
    {
        int held;
        lock (_lock)
        {
            held = _held;
            _held = 0;
        }

        if (held > 0)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await GiveBackToCounterAsync(held, timeout.Token);
            }
            catch (Exception exception) when (exception is NpgsqlException or OperationCanceledException or TimeoutException)
            {
                // The database is gone: the migrator's recount gives the places back at the next lone start.
            }
        }
    }

    private async ValueTask<bool> TakeFromNewBlockAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<int> reserving;
            TaskCompletionSource<int>? mine = null;
            lock (_lock)
            {
                if (_held > 0)
                {
                    _held--;
                    return true;
                }

                // Requests that run dry together share one reservation instead of each writing the row.
                if (_reserving is null)
                {
                    mine = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _reserving = mine.Task;
                }

                reserving = _reserving;
            }

            if (mine is not null)
            {
                _ = ReserveBlockAsync(mine);
            }

            if (await reserving.WaitAsync(cancellationToken) == 0)
            {
                return false;
            }
        }
    }

    // Not cancelled by the request that happened to start it (the others waiting for it would see that
    // cancellation), and never faulted itself: the outcome, or the exception, goes to the waiters.
    private async Task ReserveBlockAsync(TaskCompletionSource<int> reservation)
    {
        try
        {
            await using var command = database.CreateCommand(ReserveSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = counter });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = BlockSize });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = capacity });
            var granted = (int)(await command.ExecuteScalarAsync() as long? ?? 0);
            lock (_lock)
            {
                _held += granted;
                _reserving = null;
            }

            reservation.SetResult(granted);
        }
        catch (Exception exception)
        {
            lock (_lock)
            {
                _reserving = null;
            }

            reservation.SetException(exception);
        }
    }

    private async ValueTask GiveBackToCounterAsync(int places, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(GiveBackSql);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = counter });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = places });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
