using Conflict409.Api.Idempotency;
using Conflict409.Api.Lessons;

namespace Conflict409.Api.OpenApi;

public static class SwaggerSetup
{
    public const string DocumentName = "v1";

    private const string DocumentDescription = """
        A teaching server for **HTTP 409 Conflict**: the request is well-formed and understood, but it conflicts
        with the current state of the target resource (RFC 9110 §15.5.10). Every error is an RFC 9457
        `application/problem+json` body whose `type` link explains the problem.

        Start with **POST /register**: try `john_doe` (seeded) for a 409, then a new name for a 201. Then walk
        the lessons below, one tag each, in order — `GET /lessons` lists them as data:

        0. [Duplicate registration](#/Lesson%200%3A%20duplicate%20registration) — 409 when a unique name exists.
        1. [Version mismatch and concurrent updates](#/Lesson%201%3A%20version%20mismatch%20and%20concurrent%20updates) — ETag + If-Match (412), body version (409), neither (428).
        2. [Deleting what others reference](#/Lesson%202%3A%20deleting%20what%20others%20reference) — 409 listing the blocking resources.
        3. [Retried requests and Idempotency-Key](#/Lesson%203%3A%20retried%20requests%20and%20Idempotency-Key) — replay, 409 while in flight, 422 for another payload.
        4. [409 on GET to block scrapers](#/Lesson%204%3A%20409%20on%20GET%20to%20block%20scrapers%20(non-standard)) — non-standard, next to the correct 429.
        5. [Several instances, one truth](#/Lesson%205%3A%20several%20instances%2C%20one%20truth) — why the 409 of a unique index needs a shared database.
        6. [Check-then-act races](#/Lesson%206%3A%20check-then-act%20races) — the article's own bug, live: run it in the [race lab](/lab).
        7. [A stale session while scraping](#/Lesson%207%3A%20a%20stale%20session%20while%20scraping) — 409 when the session's view is stale; 400 / 403 when the session or form token is missing.

        Each problem's `type` is a link: open it to read what it means and how a client recovers.

        **The server grades your client.** Open [your progress board](/progress.html) beside this page: it shows, lesson by
        lesson and live, whether your client provoked the conflict, recovered the right way, and which mistakes it made on
        the way, each with its fix. Send the optional `Learner: your-name` header to get a board of your own; without it you
        are your address. `GET /progress` is the same board as JSON.
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
                Contact = new() { Name = "Conflict409 maintainers", Email = "maintainers@users.noreply.r-seed-709bcbaf.example" },
                License = new() { Name = "MIT", Url = new Uri("https://spdx.org/licenses/MIT.html") },
            });
            // The server the document is served from, whatever address it listens on (--urls) or is reached by.
            options.AddServer(new() { Url = "/", Description = "This server" });
            options.OperationFilter<ExampleOperationFilter>();
            options.OperationFilter<BodyProblemsOperationFilter>();
            options.OperationFilter<IdempotencyKeyOperationFilter>();
            options.DocumentFilter<LessonTagsDocumentFilter>();
        });
        return services;
    }

    public static WebApplication UseConflictSwagger(this WebApplication app)
    {
        // On in every environment: exploring the API in Swagger UI is the point of a teaching server.
        // The document is an endpoint and the UI runs only under /swagger, so the API's own requests do not pass
        // through two more middlewares that match their path (about 1 % of the server's time under load).
        app.MapSwagger();
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/swagger", StringComparison.OrdinalIgnoreCase),
            swagger => swagger.UseSwaggerUI(options =>
            {
                options.DocumentTitle = "Conflict409";
                options.EnableTryItOutByDefault();
                // The document description links each lesson's tag (#/Lesson 0: ...).
                options.EnableDeepLinking();
                options.DisplayRequestDuration();
            }));
        app.MapGet("/", () => TypedResults.Redirect("/swagger")).ExcludeFromDescription();
        return app;
    }
}
