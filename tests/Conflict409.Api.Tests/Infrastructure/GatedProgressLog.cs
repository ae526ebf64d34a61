using System.Collections.Concurrent;
using Conflict409.Api.Progress;
using Microsoft.Extensions.DependencyInjection;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>
/// Wraps an instance's shared progress log so a test controls, rather than times, the states it needs: appends of
/// requests held at a shut gate ("this instance answered a request but has not put it in the log yet"), and signals
/// for which instances its listener has heard, for a lost listener connection, for the listener's wait before it
/// connects again (on a <see cref="ListenerClock"/>) and for a completed append.
/// Announcements without rows pass the gate; the grader holding a batch sends none meanwhile.
/// </summary>
public sealed class GatedProgressLog(IProgressLog inner) : IProgressLog
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _lost = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _retrying = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Guid, bool> _heard = new();
    private readonly List<(int Nodes, TaskCompletionSource Heard)> _hearing = [];
    private TaskCompletionSource? _released;
    private TaskCompletionSource _appended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _asked = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wraps the server's log; call it last, since it starts the server.</summary>
    public static GatedProgressLog Install(Conflict409App app)
    {
        app.Decorate<IProgressLog>(log => new GatedProgressLog(log));
        return (GatedProgressLog)app.Services.GetRequiredService<IProgressLog>();
    }

    /// <summary>Completes when an append of requests has reached the shut gate.</summary>
    public Task Entered => _entered.Task;

    /// <summary>Completes when the listener's connection has been lost.</summary>
    public Task Lost => _lost.Task;

    /// <summary>
    /// Completes when the listener, having lost its connection, has started its wait of
    /// <see cref="ProgressGrader.ListenRetry"/> before it connects again: from then on, moving the clock by that much
    /// brings it back. Only with the server on a <see cref="ListenerClock"/>.
    /// </summary>
    public Task Retrying => _retrying.Task;

    public void Shut() => _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => _released?.TrySetResult();

    /// <summary>Completes once the next append of requests has committed.</summary>
    public Task NextAppend() => Volatile.Read(ref _appended).Task;

    /// <summary>Completes once the listener is next connected and listening (after a lost connection: once it is back).</summary>
    public Task NextListening() => Volatile.Read(ref _listening).Task;

    /// <summary>Completes once the instance has next asked the others for their watermarks (it waits for one of them).</summary>
    public Task NextAsk() => Volatile.Read(ref _asked).Task;

    /// <summary>Completes once the listener has heard announcements of <paramref name="nodes"/> instances (its own included).</summary>
    public Task HeardFrom(int nodes)
    {
        var heard = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_hearing)
        {
            _hearing.Add((nodes, heard));
            Check();
        }

        return heard.Task;
    }

    public async ValueTask<long> AppendAsync(IReadOnlyList<Observation> observations, LogAnnouncement announcement, CancellationToken cancellationToken)
    {
        if (observations.Count > 0 && _released is { } released)
        {
            _entered.TrySetResult();
            await released.Task.WaitAsync(cancellationToken);
        }

        var first = await inner.AppendAsync(observations, announcement, cancellationToken);
        if (announcement.Kinds.HasFlag(LogAnnouncementKinds.Asking))
        {
            Interlocked.Exchange(ref _asked, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        if (observations.Count > 0)
        {
            Interlocked.Exchange(ref _appended, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }

        return first;
    }

    public ValueTask<long> ReadAsync(long after, long skipFrom, int skipCount, Action<long, Observation> take, CancellationToken cancellationToken) =>
        inner.ReadAsync(after, skipFrom, skipCount, take, cancellationToken);

    public ValueTask PruneAsync(DateTimeOffset olderThan, int keep, CancellationToken cancellationToken) =>
        inner.PruneAsync(olderThan, keep, cancellationToken);

    /// <summary>
    /// Not async on purpose: the mark is set in the caller's flow, the grader's listener loop, where it stays (an async
    /// method's own changes to an <see cref="AsyncLocal{T}"/> never reach its caller, so the grader's other loop never
    /// carries it). The timers that loop starts on a <see cref="ListenerClock"/> are the listener's.
    /// </summary>
    public Task ListenAsync(Action<LogAnnouncement> heard, Action listening, CancellationToken cancellationToken)
    {
        ListenerClock.ReportTimersTo(TimerStarted);
        return GatedListenAsync(heard, listening, cancellationToken);
    }

    private async Task GatedListenAsync(Action<LogAnnouncement> heard, Action listening, CancellationToken cancellationToken)
    {
        try
        {
            await inner.ListenAsync(
                announcement =>
                {
                    // Handed on first: once the test sees it, the grader has it.
                    heard(announcement);
                    lock (_hearing)
                    {
                        _heard[announcement.Node] = true;
                        Check();
                    }
                },
                () =>
                {
                    listening();
                    Interlocked.Exchange(ref _listening, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
                },
                cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            _lost.TrySetResult();
            throw;
        }
    }

    /// <summary>A timer started by the listener's loop: after a lost connection, the wait before it connects again.</summary>
    private void TimerStarted(TimeSpan dueTime)
    {
        if (_lost.Task.IsCompleted && dueTime == ProgressGrader.ListenRetry)
        {
            _retrying.TrySetResult();
        }
    }

    private void Check()
    {
        foreach (var (nodes, heard) in _hearing.Where(waiting => _heard.Count >= waiting.Nodes))
        {
            heard.TrySetResult();
        }
    }
}
