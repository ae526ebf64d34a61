using Conflict409.Api.Clients;
using Conflict409.Api.Diagnostics;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Progress;

/// <summary>
/// Grades recorded requests in the background, one at a time, in the order they were recorded; with a shared
/// <see cref="IProgressLog"/>, every instance's requests in the order they were answered (<see cref="ProgressLogOrder"/>).
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

    /// <summary>How long an instance that others wait for may stay silent before they grade without it.</summary>
    public static readonly TimeSpan InstanceLease = TimeSpan.FromSeconds(2);

    /// <summary>How long the listener waits before it connects again after losing its connection.</summary>
    public static readonly TimeSpan ListenRetry = TimeSpan.FromSeconds(1);

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
    /// With a shared log: each round appends what this instance recorded since the last (one statement, whatever the
    /// number of requests) with its watermark, reads what the others appended, and grades everything up to the
    /// horizon in answered order (<see cref="ProgressLogOrder"/>). Rounds run while requests come (one per gather
    /// window at most), when a board reader waits, and when another instance's announcement needs an answer or a
    /// read; an idle instance waits on its listener and touches no pooled connection.
    /// </summary>
    private async Task ShareAsync(IProgressLog log, CancellationToken stoppingToken)
    {
        var order = new ProgressLogOrder(Guid.NewGuid(), InstanceLease);
        var wake = new SemaphoreSlim(0, 1);
        void Wake()
        {
            if (wake.CurrentCount == 0)
            {
                try
                {
                    wake.Release();
                }
                catch (SemaphoreFullException)
                {
                    // Woken already.
                }
            }
        }

        var listening = ListenAsync(log, order, Wake, stoppingToken);
        Action<long, Observation> take = (position, observation) => order.Add(position, observation);
        var queue = recorder.Reader;
        var batch = new List<Observation>();
        var read = 0L;
        var pruneAt = time.GetUtcNow();
        Task<bool>? queued = null;
        Task? woken = null;
        // The first round reads the whole log and asks the others for their watermarks, which also tells them to wait
        // for this instance's requests from now on; a round that failed does both again.
        var mustRead = true;
        var mustAnnounce = true;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var (readOthers, answer, ask) = order.TakeRequests();
                // Taken before the queue is drained: every request answered here before it is in this round's batch.
                var watermark = recorder.Watermark();
                var barriers = false;
                while (queue.TryRead(out var observation))
                {
                    if (observation.Barrier is { } barrier)
                    {
                        order.AddBarrier(watermark, barrier);
                        barriers = true;
                    }
                    else if (observation.ResetsBoard || GradedOperations.NameOf(observation.Endpoint) is not null)
                    {
                        batch.Add(observation);
                    }
                }

                var gathered = batch.Count > 0;
                // A board reader sees whatever any instance had put in the log before it asked, heard yet or not.
                readOthers |= barriers;
                try
                {
                    var asking = ask || mustAnnounce || order.Waiting(watermark, gathered ? watermark : null);
                    if (gathered || answer || asking || mustAnnounce)
                    {
                        var kinds = (gathered ? LogAnnouncementKinds.Appended : 0) | (asking ? LogAnnouncementKinds.Asking : 0);
                        var first = await log.AppendAsync(batch, new LogAnnouncement(order.Self, watermark, kinds), stoppingToken);
                        var own = first > 0 ? batch.Count : 0;
                        for (var i = 0; i < own; i++)
                        {
                            order.Add(first + i, AsStored(batch[i]));
                        }

                        if (own > 0 && first == read + 1 && !readOthers && !mustRead)
                        {
                            // Nobody appended since the last read (the batch follows it): nothing to read back.
                            read = first + own - 1;
                        }
                        else
                        {
                            read = await log.ReadAsync(read, first, own, take, stoppingToken);
                            readOthers = mustRead = false;
                        }
                    }

                    if (readOthers || mustRead)
                    {
                        read = await log.ReadAsync(read, 0, 0, take, stoppingToken);
                    }

                    (mustRead, mustAnnounce) = (false, false);

                    order.Advance(watermark, time.GetUtcNow(), observation => GradeOne(observation), PassBarrier);
                    if (gathered && time.GetUtcNow() >= pruneAt)
                    {
                        pruneAt = time.GetUtcNow() + PruneInterval;
                        await log.PruneAsync(time.GetUtcNow() - options.Value.LearnerLifetime, options.Value.SharedLogCapacity, stoppingToken);
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
                    order.PassBarriers(PassBarrier);
                    (mustRead, mustAnnounce) = (true, true);
                }

                batch.Clear();
                if (gathered)
                {
                    await recorder.GatherAsync(GatherWindow, stoppingToken);
                    continue;
                }

                // Nothing came: wait for a request, a reader, or the listener; and while waiting for another
                // instance's watermark, look again every gather window (to ask again, or to let its lease run out).
                var now = time.GetUtcNow();
                var waiting = order.Waiting(now);
                if (!waiting && order.Due(now))
                {
                    continue;
                }

                queued ??= queue.WaitToReadAsync(stoppingToken).AsTask();
                woken ??= wake.WaitAsync(stoppingToken);
                var done = mustRead ? await Task.WhenAny(queued, woken, Task.Delay(ListenRetry, time, stoppingToken))
                    : waiting ? await Task.WhenAny(queued, woken, Task.Delay(GatherWindow, time, stoppingToken))
                    : await Task.WhenAny(queued, woken);
                await done;
                queued = queued.IsCompleted ? null : queued;
                woken = woken.IsCompleted ? null : woken;
            }
        }
        finally
        {
            await LeaveAsync(log, order);
            try
            {
                await listening;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Listens for the other instances' announcements for as long as the server runs, reconnecting when the connection is lost.</summary>
    private async Task ListenAsync(IProgressLog log, ProgressLogOrder order, Action wake, CancellationToken stoppingToken)
    {
        // Off the grader's loop: the listener's connection must not wait for a round.
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await log.ListenAsync(
                    announcement =>
                    {
                        if (order.Heard(announcement, time.GetUtcNow()))
                        {
                            wake();
                        }
                    },
                    () =>
                    {
                        // Whatever was appended while nobody listened is read by position: nothing is lost.
                        order.CatchUp();
                        wake();
                    },
                    stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                ListeningFailed(logger, ListenRetry.TotalMilliseconds, exception);
            }

            await Task.Delay(ListenRetry, time, stoppingToken);
        }
    }

    /// <summary>Tells the others not to wait for this instance any more (best effort: otherwise its lease runs out).</summary>
    private static async Task LeaveAsync(IProgressLog log, ProgressLogOrder order)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await log.AppendAsync([], new LogAnnouncement(order.Self, DateTimeOffset.MaxValue, LogAnnouncementKinds.Leaving), timeout.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or System.Data.Common.DbException or TimeoutException)
        {
        }
    }

    private void PassBarrier(TaskCompletionSource barrier)
    {
        recorder.BarrierPassed();
        barrier.TrySetResult();
    }

    /// <summary>An own observation as another instance reads it back (timestamptz keeps microseconds, not ticks), so both grade alike.</summary>
    private static Observation AsStored(in Observation observation) => observation with
    {
        At = ToMicroseconds(observation.At),
        AnsweredAt = observation.AnsweredAt is { } answeredAt ? ToMicroseconds(answeredAt) : null,
    };

    private static DateTimeOffset ToMicroseconds(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMicrosecond));

    private void GradeOne(in Observation observation)
    {
        try
        {
            if (observation.ResetsBoard)
            {
                var address = ClientAddress.Partition(observation.Address);
                boards.Reset(
                    observation.LearnerName is { } name ? new Learner(name, IsNamed: true) : new Learner(address, IsNamed: false), address);
            }
            else
            {
                boards.Grade(observation);
            }
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening to the shared progress log failed; connecting again in {Milliseconds} ms.")]
    private static partial void ListeningFailed(ILogger logger, double milliseconds, Exception exception);
}
