using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Conflict409.Api.Clients;
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
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        progress.MapDelete("/", ResetProgress)
            .WithName("ResetProgress")
            .WithSummary("Start your board again")
            .WithDescription(ResetProgressDescription)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        progress.MapGet("/events", StreamProgress)
            .WithName("StreamProgress")
            .WithSummary($"Your board as Server-Sent Events: one '{BoardEventType}' event now and one after every change")
            .WithDescription(StreamProgressDescription)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            // The stream lasts as long as the page is open.
            .DisableRequestTimeout();

        app.MapGet(PagePath, () => TypedResults.Content(ProgressPage.Html, "text/html; charset=utf-8")).ExcludeFromDescription();
        app.MapClassEndpoints();
        return app;
    }

    public static async Task<Results<Ok<ProgressBoard>, ProblemHttpResult>> GetProgress(
        HttpContext context, ProgressBoards boards, ProgressRecorder recorder, IOptions<ProgressOptions> options, string? learner = null)
    {
        if (Choose(context, learner, options.Value, out var chosen) is { } refused)
        {
            return refused;
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
        HttpContext context, ProgressBoards boards, ProgressRecorder recorder, IOptions<ProgressOptions> options, string? learner = null)
    {
        if (Choose(context, learner, options.Value, out var chosen) is { } refused)
        {
            return refused;
        }

        if (options.Value.Enabled)
        {
            await recorder.GradedSoFarAsync(context.RequestAborted);
        }

        if (boards.Reset(chosen, ClientAddress.Partition(context.Connection.RemoteIpAddress)))
        {
            // With a shared log, answered once the reset is in it: every instance's board reads reset from then on.
            if (options.Value.Enabled && recorder.RecordReset(chosen, context))
            {
                await recorder.GradedSoFarAsync(context.RequestAborted);
            }

            return TypedResults.NoContent();
        }

        return ProblemTypes.LearnerNameTaken.Result(
                $"The board of '{chosen.Id}' belongs to another address: DELETE /progress resets only boards your address " +
                "owns, so nothing was reset. Leave ?learner= out to reset your own.",
                new Dictionary<string, object?> { ["learner"] = chosen.Id });
    }

    public static Results<ServerSentEventsResult<ProgressBoard>, ProblemHttpResult> StreamProgress(
        HttpContext context, ProgressBoards boards, IOptions<ProgressOptions> options, IHostApplicationLifetime lifetime, string? learner = null) =>
        Choose(context, learner, options.Value, out var chosen) is { } refused
            ? refused
            : TypedResults.ServerSentEvents(Boards(boards, chosen, options.Value.Enabled, context.RequestAborted, lifetime.ApplicationStopping));

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

    /// <summary>
    /// The board asked for: <paramref name="query"/> when given, otherwise the caller's own, as the recorder decided
    /// it for this request; null when it is found, otherwise the problem that says why it cannot be.
    /// </summary>
    private static ProblemHttpResult? Choose(HttpContext context, string? query, ProgressOptions options, out Learner chosen)
    {
        if (query is not null)
        {
            return Learner.TryParse(query, out chosen)
                ? null
                : ProblemTypes.InvalidLearner.Result(
                    $"?learner= must be a name of {Learner.NameRule} Or a client's address, as its board shows it.");
        }

        if (context.Features.Get<NamedClientFeature>() is { } named)
        {
            chosen = new Learner(named.Name, IsNamed: true);
            return null;
        }

        if (context.Features.Get<IgnoredLearnerFeature>() is { } ignored)
        {
            chosen = default;
            return Refusal(ignored, options);
        }

        // No header, or the board switched off (then nothing claims names, and the header only has to be well formed).
        return Learner.TryFrom(context, out chosen) ? null : ProblemTypes.InvalidLearner.Result(Learner.InvalidHeaderDetail);
    }

    private static ProblemHttpResult Refusal(IgnoredLearnerFeature ignored, ProgressOptions options)
    {
        var learner = new Dictionary<string, object?> { ["learner"] = ignored.Name };
        return ignored.Reason == ProblemTypes.LearnerNameTaken
            ? ProblemTypes.LearnerNameTaken.Result(
                $"Another address sent the name '{ignored.Name}' first, and its board is still alive: the name is that " +
                $"address's until {options.LearnerLifetime.TotalHours:0.##} h after its last request. Choose another name " +
                $"and send it in the {Learner.HeaderName} header.",
                learner)
            : ignored.Reason == ProblemTypes.TooManyLearnerNames
                ? ProblemTypes.TooManyLearnerNames.Result(
                    $"Your address already holds {options.MaxLearnersPerAddress} learner names, so '{ignored.Name}' was " +
                    $"not taken. Go on with one of them; a name is free again {options.LearnerLifetime.TotalHours:0.##} h " +
                    "after its last request.",
                    learner)
                : ProblemTypes.InvalidLearner.Result(Learner.InvalidHeaderDetail);
    }
}
