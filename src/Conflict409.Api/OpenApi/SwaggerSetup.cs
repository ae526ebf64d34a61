using Conflict409.Api.Idempotency;

namespace Conflict409.Api.OpenApi;

public static class SwaggerSetup
{
    public const string DocumentName = "v1";

    private const string DocumentDescription = """
        A teaching server for **HTTP 409 Conflict**: the request is well-formed and understood, but it conflicts
        with the current state of the target resource (RFC 9110 §15.5.10). Every error is an RFC 9457
        `application/problem+json` body whose `type` link explains the problem.

        Start with **POST /register**: try `john_doe` (seeded) for a 409, then a new name for a 201.
        """;

    public static IServiceCollection AddConflictSwagger(this IServiceCollection services)
    {
        services.AddEndpointsApiExplorer();
        services.AddSwaggerGen(options =>
        {
            options.SwaggerDoc(DocumentName, new()
            {
                Title = "Conflict409 — learn HTTP 409 Conflict",
                Version = DocumentName,
                Description = DocumentDescription,
            });
            options.OperationFilter<ExampleOperationFilter>();
            options.OperationFilter<IdempotencyKeyOperationFilter>();
        });
        return services;
    }

    public static WebApplication UseConflictSwagger(this WebApplication app)
    {
        // On in every environment: exploring the API in Swagger UI is the point of a teaching server.
        app.UseSwagger();
        app.UseSwaggerUI(options =>
        {
            options.DocumentTitle = "Conflict409";
            options.EnableTryItOutByDefault();
            options.DisplayRequestDuration();
        });
        app.MapGet("/", () => TypedResults.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }
}
