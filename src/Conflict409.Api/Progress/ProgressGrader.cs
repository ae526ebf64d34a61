using Conflict409.Api.Diagnostics;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Progress;

/// <summary>
/// Grades recorded requests in the background, one at a time, in the order they were recorded; with a shared
/// <see cref="IProgressLog"/>, in the log's order instead, which every instance replays alike.
/// </summary>
public sealed partial class ProgressGrader(
    ProgressRecorder recorder,
    ProgressBoards boards,
    IOptions<ProgressOptions> options,
    IEnumerable<IProgressLog> sharedLog,
    TimeProvider time,
    ConflictMetrics metrics,
    ILogger<ProgressGrader> logger) : BackgroundService
{
    /// <summary>How long requests gather between two reads of the queue: the board's live view lags by at most this.</summary>
    public static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(20);

    /// <summary>How often the shared log is pruned (by age and by count).</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        try
        {
            if (sharedLog.FirstOrDefault() is { } log)
            {
                await ShareAsync(log, stoppingToken);
            }
            else
            {
                await GradeLocallyAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task GradeLocallyAsync(CancellationToken stoppingToken)
    {
        var queue = recorder.Reader;
        while (await queue.WaitToReadAsync(stoppingToken))
        {
            while (queue.TryRead(out var observation))
            {
                if (observation.Barrier is { } barrier)
                {
                    recorder.BarrierPassed();
                    barrier.TrySetResult();
                    continue;
                }

                GradeOne(observation);
            }

            await recorder.GatherAsync(GatherWindow, stoppingToken);
        }
    }

    /// <summary>
    /// Every gather window: appends what this instance recorded since (one statement, whatever the number of
    /// requests), then replays everything appended since the last read, by any instance. A barrier is passed once
    /// both are done, so a board read here shows this instance's requests and whatever the others had appended.
    /// </summary>
    private async Task ShareAsync(IProgressLog log, CancellationToken stoppingToken)
    {
        var queue = recorder.Reader;
        var batch = new List<Observation>();
        var barriers = new List<TaskCompletionSource>();
        var replayed = 0L;
        var pruneAt = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            while (queue.TryRead(out var observation))
            {
                if (observation.Barrier is { } barrier)
                {
                    barriers.Add(barrier);
                }
                else if (GradedOperations.NameOf(observation.Endpoint) is not null)
                {
                    batch.Add(observation);
                }
            }

            try
            {
                var appendedFrom = batch.Count > 0 ? await log.AppendObservationsAsync(batch, stoppingToken) : 0;
                replayed = await log.ReplayObservationsAsync(replayed, appendedFrom, batch, observation => GradeOne(observation), stoppingToken);
                if (time.GetUtcNow() >= pruneAt)
                {
                    pruneAt = time.GetUtcNow() + PruneInterval;
                    await log.PruneObservationsAsync(time.GetUtcNow() - options.Value.LearnerLifetime, options.Value.SharedLogCapacity, stoppingToken);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database is away: these requests stay ungraded (as when the queue is full), the server serves on.
                for (var i = 0; i < batch.Count; i++)
                {
                    metrics.ObservationDropped();
                }

                SharingFailed(logger, batch.Count, exception);
            }

            batch.Clear();
            foreach (var barrier in barriers)
            {
                recorder.BarrierPassed();
                barrier.TrySetResult();
            }

            barriers.Clear();
            await recorder.GatherAsync(GatherWindow, stoppingToken);
        }
    }

    private void GradeOne(in Observation observation)
    {
        try
        {
            boards.Grade(observation);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // A grading bug must cost one board entry, not the server.
            GradingFailed(logger, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Grading a request failed; it is left ungraded.")]
    private static partial void GradingFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The shared progress log could not be written or read; {Count} request(s) left ungraded.")]
    private static partial void SharingFailed(ILogger logger, int count, Exception exception);
}
