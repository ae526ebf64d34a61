using System.Globalization;
using System.Net;
using System.Threading.Channels;
using Conflict409.Api.Clients;
using Conflict409.Api.Diagnostics;
using Conflict409.Api.Hosting;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Conflict409.Api.Progress;

/// <summary>
/// What the server decided for one request, as the grader needs it. Only values that outlive the request: the
/// endpoint, strings, the problem object, the address — never the HttpContext, which the server reuses.
/// </summary>
/// <param name="At">When the request arrived (so a retry is timed from the moment it was sent).</param>
/// <param name="LearnerName">The validated Learner header, or null to use the address.</param>
/// <param name="Target">The route's first value: the name of the resource the request is about.</param>
/// <param name="Location">The Location of a 201: where the created resource (and so its name) is.</param>
/// <param name="AnsweredAt">
/// When it was answered (recorded), for two uses. For a refusal with Retry-After: a client can only react to it, and
/// start waiting, once it has it, so a request that started before this (such as the request whose work in flight made
/// this refusal, however late it completes) is not a retry of it. With a shared log, on every
/// observation: the shared order grades requests in the order they were answered (<see cref="ProgressLogOrder"/>), as
/// the in-memory queue does. In memory only the refusals with Retry-After read the clock for it.
/// </param>
/// <param name="Headers">The headers the lessons' judges read (<see cref="GradedOperations.RequestHeaders"/>,
/// <see cref="GradedOperations.ResponseHeaders"/>) that this request or its response had; null when none.</param>
/// <param name="Instance">The server instance that answered (<see cref="ServerInstance"/>).</param>
/// <param name="Barrier">Set on a marker the board's readers send to wait until everything before it is graded.</param>
/// <param name="ResetsBoard">
/// A reset marker (<c>DELETE /progress</c> with a shared log): the learner's board starts again at this point of
/// every instance's order, not only on the instance that took the reset.
/// </param>
public readonly record struct Observation(
    DateTimeOffset At,
    string? LearnerName,
    IPAddress? Address,
    Endpoint? Endpoint,
    string? Target,
    string? Location,
    int Status,
    ProblemDetails? Problem,
    TimeSpan? RetryAfter,
    DateTimeOffset? AnsweredAt,
    KeyValuePair<string, string>[]? Headers,
    bool Conditional,
    string? Instance,
    TaskCompletionSource? Barrier = null,
    bool ResetsBoard = false)
{
    /// <summary>The value of a header a judge declared, if the request (or its response) had it once.</summary>
    public string? Header(string name)
    {
        foreach (var header in Headers ?? [])
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return header.Value;
            }
        }

        return null;
    }
}

/// <summary>The problem a response carries, noted where every problem is written so the recorder need not parse bodies.</summary>
public sealed record SentProblemFeature(ProblemDetails Problem);

/// <summary>
/// Middleware that notes each request's outcome once the response is decided and hands it to the grader through a
/// bounded queue, so a request pays a few field reads and one enqueue; when the queue is full the request is left
/// ungraded (and counted) rather than slowed down. It also decides, once per request, which learner the request is:
/// a Learner name the board can use (valid, and its address's: <see cref="ProgressBoards.Claim"/>) makes the request
/// that learner's client (<see cref="NamedClientFeature"/>); one it cannot use never fails the request, which is
/// served and graded as the address's, with <see cref="Learner.IgnoredHeaderName"/> saying why.
/// </summary>
public sealed class ProgressRecorder
{
    private readonly Channel<Observation> _queue;
    private readonly TimeProvider _time;
    private readonly ProgressBoards _boards;
    private readonly ServerInstance _instance;
    private readonly string[] _requestHeaders = [.. GradedOperations.RequestHeaders];
    private readonly string[] _responseHeaders = [.. GradedOperations.ResponseHeaders];
    private readonly bool _shared;
    /// <summary>
    /// With a shared log, a request's answered time is read and the request queued under this lock, and the grader's
    /// watermark is read under it too (<see cref="Watermark"/>): whatever was answered before a watermark is queued.
    /// </summary>
    private readonly Lock _answering = new();
    private TaskCompletionSource _barrierSent = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _barriersQueued;
    public ProgressRecorder(
        IOptions<ProgressOptions> options,
        TimeProvider time,
        ConflictMetrics metrics,
        ProgressBoards boards,
        ServerInstance instance,
        IEnumerable<IProgressLog> sharedLog)
    {
        _shared = sharedLog.Any();
        _instance = instance;
        _time = time;
        _boards = boards;
        _queue = Channel.CreateBounded<Observation>(
            new BoundedChannelOptions(options.Value.QueueCapacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true },
            dropped =>
            {
                metrics.ObservationDropped();
                if (dropped.Barrier is { } barrier)
                {
                    BarrierPassed();
                    barrier.TrySetResult();
                }
            });
    }

    public ChannelReader<Observation> Reader => _queue.Reader;

    public RequestDelegate Observe(RequestDelegate next) => context =>
    {
        var at = _time.GetUtcNow();
        var header = context.Request.Headers[Learner.HeaderName];
        // Without the header (most requests) nothing is looked up, allocated or set: the client is the address.
        var name = header.Count == 0 ? null : ClaimLearner(context, header);

        // Most requests complete synchronously: record them without an async frame of our own.
        var pending = next(context);
        if (!pending.IsCompletedSuccessfully)
        {
            return RecordAfterAsync(pending, context, at, name);
        }

        Record(context, at, name);
        return Task.CompletedTask;
    };

    /// <summary>Completes once every request recorded before the call has been graded (or dropped).</summary>
    public Task GradedSoFarAsync(CancellationToken cancellationToken)
    {
        var barrier = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Increment(ref _barriersQueued);
        _queue.Writer.TryWrite(new Observation { Barrier = barrier });
        // A reader is waiting: the grader stops gathering (see GatherAsync) and reads at once.
        Volatile.Read(ref _barrierSent).TrySetResult();
        return barrier.Task.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// With a shared log, writes a reset of <paramref name="learner"/>'s board (already reset here) to it, so every
    /// instance resets it at the same point of the learner's requests. In memory there is nothing to share.
    /// </summary>
    /// <returns>Whether a reset was queued for the log.</returns>
    public bool RecordReset(Learner learner, HttpContext context)
    {
        if (!_shared)
        {
            return false;
        }

        lock (_answering)
        {
            var now = _time.GetUtcNow();
            return _queue.Writer.TryWrite(new Observation(
                now, learner.IsNamed ? learner.Id : null, context.Connection.RemoteIpAddress, null, null, null, 0,
                null, null, now, null, false, _instance.Name, ResetsBoard: true));
        }
    }

    /// <summary>
    /// With a shared log, the grader's watermark: every request this instance answered before it is in the queue
    /// already (its answered time and its enqueue are one step under <see cref="_answering"/>), so the grader, which
    /// drains the queue after taking it, appends them all with the announcement of this watermark.
    /// </summary>
    public DateTimeOffset Watermark()
    {
        lock (_answering)
        {
            return _time.GetUtcNow();
        }
    }

    /// <summary>The grader has reached a barrier: one reader fewer to hurry for.</summary>
    public void BarrierPassed() => Interlocked.Decrement(ref _barriersQueued);

    /// <summary>
    /// Waits up to <paramref name="window"/> for more requests to gather before the grader reads again, or less when
    /// a board reader sends a barrier. Without it a busy server would wake the grader's thread once per request
    /// (what that cost is in tests/load/README.md).
    /// </summary>
    public Task GatherAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var barrierSent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _barrierSent, barrierSent);
        // A barrier queued before the swap signalled the old source: it must not wait out the window.
        return Volatile.Read(ref _barriersQueued) > 0
            ? Task.CompletedTask
            : Task.WhenAny(barrierSent.Task, Task.Delay(window, cancellationToken));
    }

    private async Task RecordAfterAsync(Task pending, HttpContext context, DateTimeOffset at, string? name)
    {
        await pending;
        Record(context, at, name);
    }

    private void Record(HttpContext context, DateTimeOffset at, string? name)
    {
        if (context.GetEndpoint() is not { } endpoint)
        {
            return;
        }

        var request = context.Request;
        var response = context.Response;
        var status = response.StatusCode;
        var routeValues = request.RouteValues;
        string? target = null;
        if (routeValues.Count > 0)
        {
            foreach (var value in routeValues)
            {
                target = value.Value as string;
                break;
            }
        }

        string? location = status == StatusCodes.Status201Created ? response.Headers.Location.ToString() : null;
        ProblemDetails? problem = null;
        TimeSpan? retryAfter = null;
        DateTimeOffset? answeredAt = null;
        if (status >= StatusCodes.Status400BadRequest)
        {
            problem = context.Features.Get<SentProblemFeature>()?.Problem;
            if (long.TryParse(response.Headers.RetryAfter, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                retryAfter = TimeSpan.FromSeconds(seconds);
                answeredAt = _time.GetUtcNow();
            }
        }

        // Without the judges' headers (most requests) nothing is allocated.
        KeyValuePair<string, string>[]? headers = null;
        foreach (var header in _requestHeaders)
        {
            Copy(ref headers, header, request.Headers[header]);
        }

        foreach (var header in _responseHeaders)
        {
            Copy(ref headers, header, response.Headers[header]);
        }

        var conditional = request.Headers.IfMatch.Count > 0;
        var address = context.Connection.RemoteIpAddress;
        if (!_shared)
        {
            _queue.Writer.TryWrite(new Observation(
                at, name, address, endpoint, target, location, status, problem, retryAfter, answeredAt, headers,
                conditional, _instance.Name));
            return;
        }

        // Shared: graded in answered order, so the answered time is read, and the request queued, under the lock
        // the grader's watermark is read under (see Watermark).
        lock (_answering)
        {
            _queue.Writer.TryWrite(new Observation(
                at, name, address, endpoint, target, location, status, problem, retryAfter, _time.GetUtcNow(), headers,
                conditional, _instance.Name));
        }
    }

    /// <summary>Keeps a header sent exactly once; a repeated one is ambiguous, and judged as absent.</summary>
    private static void Copy(ref KeyValuePair<string, string>[]? headers, string name, StringValues values)
    {
        if (values.Count == 1)
        {
            headers = [.. headers ?? [], new(name, values[0]!)];
        }
    }

    /// <summary>The learner's name if the request may count as it; otherwise null, and the response says why.</summary>
    private string? ClaimLearner(HttpContext context, StringValues header)
    {
        var address = ClientAddress.Partition(context.Connection.RemoteIpAddress);
        string? name = null;
        var reason = ProblemTypes.InvalidLearner;
        // A malformed value is never kept, echoed or logged: it may be huge or hold control characters.
        if (header.Count == 1 && Learner.IsValidName(header[0]))
        {
            name = header[0]!;
            switch (_boards.Claim(name, address))
            {
                case LearnerNameClaim.Owned:
                    context.Features.Set(new NamedClientFeature(address, name));
                    return name;
                case LearnerNameClaim.TakenByAnotherAddress:
                    reason = ProblemTypes.LearnerNameTaken;
                    break;
                default:
                    reason = ProblemTypes.TooManyLearnerNames;
                    break;
            }
        }

        context.Features.Set(new IgnoredLearnerFeature(reason, name));
        context.Response.Headers[Learner.IgnoredHeaderName] = reason.Slug;
        return null;
    }
}
