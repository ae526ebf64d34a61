using System.Text.Json;
using Conflict409.Api.Clients;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Conflict409.Api.Idempotency;

/// <summary>
/// Makes a POST endpoint safe to retry (IETF draft-ietf-httpapi-idempotency-key-header): the first request
/// with a key runs and its response is recorded; a retry with the same key and payload gets that response
/// replayed, a retry while the first is still running gets 409, and the same key with another payload 422.
/// A key belongs to the client that sent it (<see cref="ClientAddress"/>): another client's "k-1" is another key.
/// Requests without the header run exactly as before. With <c>?holdMs=</c> (<see cref="IdempotencyHold"/>) the key is
/// held in flight that long before the work starts, and a request that finds it in flight is told, in Retry-After,
/// how long is left.
/// </summary>
public sealed class IdempotencyFilter<TRequest>(
    IIdempotencyStore store, IOptions<JsonOptions> jsonOptions, TimeProvider timeProvider) : IEndpointFilter
{
    public const string ReplayedHeaderName = "Idempotent-Replayed";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var header = request.Headers[IdempotencyKey.HeaderName];
        // Most requests carry no key: hand them straight on, without an async frame of our own.
        return header.Count != 0 ? InvokeWithKeyAsync(context, next, header)
            : IdempotencyHold.IsRequested(request) ? ValueTask.FromResult<object?>(HoldRefused(IdempotencyHold.KeyRequiredError))
            : next(context);
    }

    private async ValueTask<object?> InvokeWithKeyAsync(
        EndpointFilterInvocationContext context, EndpointFilterDelegate next, StringValues header)
    {
        var httpContext = context.HttpContext;
        if (!IdempotencyKey.TryParse(header, out var key))
        {
            return IdempotencyProblems.InvalidKey();
        }

        if (!IdempotencyHold.TryRead(httpContext.Request, out var hold))
        {
            return HoldRefused(IdempotencyHold.RangeError);
        }

        var fingerprint = JsonSerializer.Serialize(context.Arguments.OfType<TRequest>().Single(), jsonOptions.Value.SerializerOptions);
        var scope = new IdempotencyScope(ClientAddress.Of(httpContext), key);
        var begin = await store.TryBeginAsync(scope, fingerprint, hold + IdempotencyHold.WorkAllowance, httpContext.RequestAborted);
        switch (begin.Outcome)
        {
            case BeginOutcome.Completed:
                return new ReplayedResponse(begin.Response!);
            case BeginOutcome.InFlight:
                // The rest of the first request's hold and work: a retry after it finds the response stored.
                RetryAfter.Set(httpContext.Response, begin.RetryAfter);
                return IdempotencyProblems.KeyInUse(key);
            case BeginOutcome.PayloadMismatch:
                return IdempotencyProblems.KeyReused(key);
            case BeginOutcome.QuotaExceeded:
                return IdempotencyProblems.QuotaExceeded(scope.Client, RetryAfter.Set(httpContext.Response, begin.RetryAfter));
            case BeginOutcome.Full:
                RetryAfter.Set(httpContext.Response, begin.RetryAfter);
                return IdempotencyProblems.StoreFull();
        }

        object? result;
        try
        {
            if (hold > TimeSpan.Zero)
            {
                await Task.Delay(hold, timeProvider, httpContext.RequestAborted);
            }

            result = await next(context);
        }
        catch
        {
            await store.AbandonAsync(scope, fingerprint, CancellationToken.None);
            throw;
        }

        return result is IResult inner
            ? new RecordedResponse(inner, stored => stored.StatusCode < 500
                ? store.CompleteAsync(scope, fingerprint, stored, CancellationToken.None)
                : store.AbandonAsync(scope, fingerprint, CancellationToken.None))
            : result;
    }

    private static ValidationProblem HoldRefused(string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [IdempotencyHold.QueryName] = [error] });

    /// <summary>Writes the handler's result as usual while keeping a copy of what went on the wire.</summary>
    private sealed class RecordedResponse(IResult inner, Func<StoredResponse, ValueTask> record) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var wire = httpContext.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
            using var copy = new MemoryStream();
            var recording = new StreamResponseBodyFeature(copy);
            httpContext.Features.Set<IHttpResponseBodyFeature>(recording);
            try
            {
                await inner.ExecuteAsync(httpContext);
                await recording.CompleteAsync();
            }
            finally
            {
                httpContext.Features.Set(wire);
            }

            var response = httpContext.Response;
            await record(new StoredResponse(response.StatusCode, response.ContentType, response.Headers.Location, copy.ToArray()));
            await response.Body.WriteAsync(copy.GetBuffer().AsMemory(0, (int)copy.Length), httpContext.RequestAborted);
        }
    }

    private sealed class ReplayedResponse(StoredResponse stored) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = stored.StatusCode;
            response.ContentType = stored.ContentType;
            if (stored.Location is not null)
            {
                response.Headers.Location = stored.Location;
            }

            response.Headers[ReplayedHeaderName] = "true";
            return response.Body.WriteAsync(stored.Body, httpContext.RequestAborted).AsTask();
        }
    }
}
