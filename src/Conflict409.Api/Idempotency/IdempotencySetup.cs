using Conflict409.Api.OpenApi;

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
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .WithProblemExample(IdempotencyProblems.KeyReused(RetriedRequestsLesson.Entry.ExampleOf("key")))
            .WithProblemExample(IdempotencyProblems.QuotaExceeded("192.168.1.20", 86_400))
            .WithProblemExample(IdempotencyProblems.StoreFull());
}
