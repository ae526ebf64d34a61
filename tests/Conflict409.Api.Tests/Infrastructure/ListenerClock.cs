using Microsoft.Extensions.Time.Testing;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>
/// A fake clock that several servers can share and that tells a <see cref="GatedProgressLog"/> when its server's
/// listener starts a timer on it. A server's grader starts timers of the same length in two loops (the listener
/// waits <c>ListenRetry</c> to connect again; the grader's rounds wait as long after a failed round), so a due time
/// alone cannot tell the listener's; the flow that starts the timer can.
/// </summary>
public sealed class ListenerClock(DateTimeOffset start) : FakeTimeProvider(start)
{
    // Where the timers started in this flow (and in the flows it starts) are reported; null in every other flow.
    private static readonly AsyncLocal<Action<TimeSpan>?> Reported = new();

    /// <summary>
    /// Reports each timer started from now on in the calling flow to <paramref name="started"/>, with its due time.
    /// Called from a method that is not async, it marks its caller's flow.
    /// </summary>
    public static void ReportTimersTo(Action<TimeSpan> started) => Reported.Value = started;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        Reported.Value?.Invoke(dueTime);
        return timer;
    }
}
