using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>A fake clock that reports each delay started on it, so a test can advance it deterministically.</summary>
public sealed class ObservedClock() : FakeTimeProvider(DateTimeOffset.UtcNow)
{
    // A queue, not a single "next delay" signal: a delay may start before the test asks for it.
    private readonly Channel<TimeSpan> _delays = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>The due time of the next delay started, in the order they start.</summary>
    public Task<TimeSpan> NextDelayAsync() => _delays.Reader.ReadAsync().AsTask();

    /// <summary>Completes once <paramref name="count"/> more delays of <paramref name="dueTime"/> have started.</summary>
    public async Task DelaysStartedAsync(int count, TimeSpan dueTime)
    {
        for (var started = 0; started < count;)
        {
            if (await NextDelayAsync() == dueTime)
            {
                started++;
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _delays.Writer.TryWrite(dueTime);
        return timer;
    }
}
