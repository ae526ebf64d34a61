using Conflict409.Api.OpenApi;
using Conflict409.Api.Problems;

namespace Conflict409.Api.Idempotency;

/// <summary>Marks an endpoint as honouring Idempotency-Key, for the OpenAPI document.</summary>
public sealed class IdempotencyKeyMetadata;

public static class IdempotencySetup
{
    /// <summary>Lets clients retry this endpoint safely with an Idempotency-Key header.</summary>
    public static RouteHandlerBuilder WithIdempotencyKey<TRequest>(this RouteHandlerBuilder builder) =>
        builder
            .AddEndpointFilter<IdempotencyFilter<TRequest>>()
            .WithMetadata(new IdempotencyKeyMetadata())
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithResponseExample(StatusCodes.Status422UnprocessableEntity, new
            {
                type = ProblemTypes.IdempotencyKeyReused.Uri,
                title = ProblemTypes.IdempotencyKeyReused.Title,
                status = 422,
                detail = "Idempotency-Key \"k-1\" was first used with a different payload. Use a new key for a new operation.",
                idempotencyKey = "k-1",
            })
            .WithResponseExample(StatusCodes.Status503ServiceUnavailable, new
            {
                type = ProblemTypes.IdempotencyStoreFull.Uri,
                title = ProblemTypes.IdempotencyStoreFull.Title,
                status = 503,
                detail = "The server holds as many idempotency keys as it may. Retry later.",
            });
}
