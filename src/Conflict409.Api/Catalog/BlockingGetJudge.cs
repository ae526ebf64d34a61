using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;

namespace Conflict409.Api.Catalog;

/// <summary>Lesson 4 on the board: after a blocking 409 (or 429), every request before Retry-After is a mistake; the first success after it recovers.</summary>
public sealed class BlockingGetJudge : LessonJudge<BlockingGetJudge.State>
{
    public static readonly Mistake RequestedTooSoon = new(
        "requested-too-soon", BlockingGetLesson.Entry,
        "Requested again before Retry-After had passed (counted per request).",
        "Honour Retry-After: send nothing to the blocked resource until it has passed, then spread requests out.");

    public sealed class State
    {
        public DateTimeOffset? BlockedUntil { get; set; }
    }

    public override Lesson Lesson => BlockingGetLesson.Entry;

    public override IReadOnlyList<string> WatchedEndpoints { get; } = [nameof(CatalogEndpoints.ListProducts)];

    public override IReadOnlyList<Mistake> Mistakes { get; } = [RequestedTooSoon];

    protected override void Judge(in Observation observation, string endpoint, State state, VerdictSink verdicts)
    {
        if (state.BlockedUntil is { } until)
        {
            if (observation.At + RetryAfterSlack < until)
            {
                verdicts.Mistake(RequestedTooSoon);
            }
            else if (observation.Status == StatusCodes.Status200OK)
            {
                verdicts.Recovered();
            }

            if (observation.Status == StatusCodes.Status200OK)
            {
                state.BlockedUntil = null;
            }
        }

        var type = observation.Problem?.Type;
        if (type == CatalogProblemTypes.BlockedByRateLimit.Uri || type == ProblemTypes.TooManyRequests.Uri)
        {
            verdicts.Conflict();
            state.BlockedUntil = observation.At + (observation.RetryAfter ?? TimeSpan.FromSeconds(1));
        }
    }
}
