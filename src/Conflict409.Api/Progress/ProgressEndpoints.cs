using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Progress;

/// <summary>The server grades the learner's client: its board as JSON, live as Server-Sent Events, and as a page.</summary>
public static partial class ProgressEndpoints
{
    public const string Tag = "Your progress";
    public const string PagePath = "/progress.html";
    public const string BoardEventType = "board";

    public static IEndpointRouteBuilder MapProgressEndpoints(this IEndpointRouteBuilder app)
    {
        var progress = app.MapGroup("/progress").WithTags(Tag);

        progress.MapGet("/", GetProgress)
            .WithName("GetProgress")
            .WithSummary("Your client's progress board: per lesson, the conflicts it provoked, its recoveries and its mistakes")
            .WithDescription(GetProgressDescription)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        progress.MapDelete("/", ResetProgress)
            .WithName("ResetProgress")
            .WithSummary("Start your board again")
            .WithDescription(ResetProgressDescription)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        progress.MapGet("/events", StreamProgress)
            .WithName("StreamProgress")
            .WithSummary($"Your board as Server-Sent Events: one '{BoardEventType}' event now and one after every change")
            .WithDescription(StreamProgressDescription)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            // The stream lasts as long as the page is open.
            .DisableRequestTimeout();

        app.MapGet(PagePath, () => TypedResults.Content(ProgressPage.Html, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapClassEndpoints();
        return app;
    }

    public static async Task<Results<Ok<ProgressBoard>, ProblemHttpResult>> GetProgress(
        HttpContext context, ProgressBoards boards, ProgressRecorder recorder, IOptions<ProgressOptions> options, string? learner = null)
    {
        if (Choose(context, learner) is not { } chosen)
        {
            return InvalidLearner(learner);
        }

        // Requests answered before this one are graded before the board is read.
        var recording = options.Value.Enabled;
        if (recording)
        {
            await recorder.GradedSoFarAsync(context.RequestAborted);
        }

        return TypedResults.Ok(boards.Snapshot(chosen, recording));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ResetProgress(
        HttpContext context, ProgressBoards boards, ProgressRecorder recorder, IOptions<ProgressOptions> options)
    {
        if (Choose(context, learner: null) is not { } own)
        {
            return InvalidLearner(null);
        }

        if (options.Value.Enabled)
        {
            await recorder.GradedSoFarAsync(context.RequestAborted);
        }

        boards.Reset(own);
        return TypedResults.NoContent();
    }

    public static Results<ServerSentEventsResult<ProgressBoard>, ProblemHttpResult> StreamProgress(
        HttpContext context, ProgressBoards boards, IOptions<ProgressOptions> options, IHostApplicationLifetime lifetime, string? learner = null) =>
        Choose(context, learner) is { } chosen
            ? TypedResults.ServerSentEvents(Boards(boards, chosen, options.Value.Enabled, context.RequestAborted, lifetime.ApplicationStopping))
            : InvalidLearner(learner);

    private static async IAsyncEnumerable<SseItem<ProgressBoard>> Boards(
        ProgressBoards boards, Learner learner, bool recording, CancellationToken requestAborted, [EnumeratorCancellation] CancellationToken stopping)
    {
        // Ends when the page goes away or the server stops, so a stream never holds up shutdown.
        using var end = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, stopping);
        using var watch = boards.Watch(learner);
        do
        {
            yield return new SseItem<ProgressBoard>(boards.Snapshot(learner, recording), BoardEventType);
        }
        while (await watch.ChangedAsync(end.Token));
    }

    /// <summary>The board asked for: <paramref name="learner"/> when given, otherwise the caller's own.</summary>
    private static Learner? Choose(HttpContext context, string? learner) =>
        learner is not null
            ? Learner.TryParse(learner, out var named) ? named : null
            : Learner.TryFrom(context, out var own) ? own : null;

    private static ProblemHttpResult InvalidLearner(string? query) =>
        ProblemTypes.InvalidLearner.Result(query is null
            ? Learner.InvalidHeaderDetail
            : $"?learner= must be a name of {Learner.NameRule} Or a client's address, as its board shows it.");
}
