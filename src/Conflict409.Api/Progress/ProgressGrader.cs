using Microsoft.Extensions.Options;

namespace Conflict409.Api.Progress;

/// <summary>Grades recorded requests in the background, one at a time, in the order they were recorded.</summary>
public sealed partial class ProgressGrader(
    ProgressRecorder recorder, ProgressBoards boards, IOptions<ProgressOptions> options, ILogger<ProgressGrader> logger) : BackgroundService
{
    /// <summary>How long requests gather between two reads of the queue: the board's live view lags by at most this.</summary>
    public static readonly TimeSpan GatherWindow = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        var queue = recorder.Reader;
        try
        {
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

                await recorder.GatherAsync(GatherWindow, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Grading a request failed; it is left ungraded.")]
    private static partial void GradingFailed(ILogger logger, Exception exception);
}
