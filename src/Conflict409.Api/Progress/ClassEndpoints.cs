using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Progress;

/// <summary>
/// The class view: every learner's board in one table, as JSON, live as Server-Sent Events, and as a page. Open like
/// every board (GET /progress?learner= shows anyone's): it gathers nothing a learner cannot already see.
/// </summary>
public static class ClassEndpoints
{
    public const string Tag = "The class";
    public const string TagDescription =
        "Every learner on this server at once, for the teacher: each lesson's state and mistakes, live.";

    public const string PagePath = "/class.html";
    public const string ClassEventType = "class";

    /// <summary>
    /// The least time between two frames of one stream: in a lesson-6 burst the boards change hundreds of times a
    /// second, and each frame reads every board under the grader's lock.
    /// </summary>
    public static readonly TimeSpan FrameInterval = TimeSpan.FromMilliseconds(250);

    public static IEndpointRouteBuilder MapClassEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/progress/class").WithTags(Tag);

        group.MapGet("/", GetClass)
            .WithName("GetClass")
            .WithSummary("Every learner on the server: each lesson's state and mistake count")
            .WithDescription($"""
                One row per learner the server holds (at most `Progress:MaxLearners`), named by its `{Learner.HeaderName}`
                header or known by its address, with each lesson's state as its own board (GET /progress) shows it and its
                mistakes counted. Rows are in ordinal order (addresses, then names). The same table updates live at
                [{PagePath}]({PagePath}); a learner's row links to its board.
                """);

        group.MapGet("/events", StreamClass)
            .WithName("StreamClass")
            .WithSummary($"The class as Server-Sent Events: one '{ClassEventType}' event now and one after changes")
            .WithDescription($"What the class page listens to: the view of GET /progress/class, sent again when any board changes (at most one event per {FrameInterval.TotalMilliseconds:0} ms).")
            // The stream lasts as long as the page is open.
            .DisableRequestTimeout();

        app.MapGet(PagePath, () => TypedResults.Content(ClassPage.Html, "text/html; charset=utf-8")).ExcludeFromDescription();
        return app;
    }

    public static async Task<Ok<ClassView>> GetClass(
        HttpContext context, ProgressBoards boards, ProgressRecorder recorder, IOptions<ProgressOptions> options)
    {
        // Requests answered before this one are graded before the class is read.
        var recording = options.Value.Enabled;
        if (recording)
        {
            await recorder.GradedSoFarAsync(context.RequestAborted);
        }

        return TypedResults.Ok(boards.ClassSnapshot(recording));
    }

    public static ServerSentEventsResult<ClassView> StreamClass(
        HttpContext context, ProgressBoards boards, IOptions<ProgressOptions> options, TimeProvider time, IHostApplicationLifetime lifetime) =>
        TypedResults.ServerSentEvents(Frames(boards, options.Value.Enabled, time, context.RequestAborted, lifetime.ApplicationStopping));

    private static async IAsyncEnumerable<SseItem<ClassView>> Frames(
        ProgressBoards boards, bool recording, TimeProvider time, CancellationToken requestAborted, [EnumeratorCancellation] CancellationToken stopping)
    {
        // Ends when the page goes away or the server stops, so a stream never holds up shutdown.
        using var end = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        using var watch = boards.WatchClass();
        do
        {
            yield return new SseItem<ClassView>(boards.ClassSnapshot(recording), ClassEventType);
            if (!await PausedAsync(time, end.Token))
            {
                yield break;
            }
        }
        while (await watch.ChangedAsync(end.Token));
    }

    /// <summary>Lets the changes of <see cref="FrameInterval"/> gather into the next frame; false once the stream ends.</summary>
    private static async Task<bool> PausedAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(FrameInterval, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
