using System.Text.Json.Nodes;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Lessons;
using Microsoft.OpenApi;

namespace Conflict409.Api.OpenApi;

public static class SwaggerSetup
{
    public const string DocumentName = "v1";

    /// <summary>Where Swagger UI is served; the root redirects here.</summary>
    public const string UiPath = "/swagger";

    private const string Introduction = """
        A teaching server for **HTTP 409 Conflict**: the request is well-formed and understood, but it conflicts
        with the current state of the target resource (RFC 9110 §15.5.10). Every error is an RFC 9457
        `application/problem+json` body whose `type` link explains the problem.

        Start with **POST /register**: try `john_doe` (seeded) for a 409, then a new name for a 201. Then walk
        the lessons below, one tag each, in order — `GET /lessons` lists them as data:
        """;

    private const string Closing = """
        Each problem's `type` is a link: open it to read what it means and how a client recovers.

        **The server grades your client.** Open [your progress board](/progress.html) beside this page: it shows, lesson by
        lesson and live, whether your client provoked the conflict, recovered the right way, and which mistakes it made on
        the way, each with its fix. Send the optional `Learner: your-name` header to get a board of your own; without it you
        are your address. `GET /progress` is the same board as JSON.
        """;

    /// <summary>The document's description: the lessons are listed from the catalogue, each linking its tag in Swagger UI.</summary>
    public static string DocumentDescription { get; } = string.Join(
        "\n\n",
        Introduction,
        string.Join('\n', LessonCatalog.All.Select(lesson => $"- [{lesson.Title}](#/{Uri.EscapeDataString(lesson.Title)}) — {lesson.Cause}")),
        Closing);

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
                // The licence text is the README's last section (the design card allows no LICENSE file).
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

    /// <summary>
    /// Each fetch of the document gets fresh names in its examples (one suffix for all, so the owner, member and team
    /// of one example still belong together): a class trying the examples in Swagger UI at once works on names of
    /// its own, as <c>GET /lessons/{id}</c> hands out, instead of every learner editing and deleting the same user.
    /// </summary>
    private static void HandOutExampleNames(OpenApiDocument document, HttpRequest request)
    {
        var suffix = Guid.NewGuid().ToString("N")[..Lesson.ExampleSuffix.Length];
        JsonNode? Fresh(JsonNode? example) =>
            example is null ? null : JsonNode.Parse(example.ToJsonString().Replace(Lesson.ExampleSuffix, suffix, StringComparison.Ordinal));

        var operations = document.Paths?.Values.SelectMany(path => path.Operations?.Values.AsEnumerable() ?? []) ?? [];
        foreach (var operation in operations)
        {
            var contents = (operation.Responses?.Values.Select(response => response.Content) ?? [])
                .Append(operation.RequestBody?.Content)
                .SelectMany(content => content?.Values ?? []);
            foreach (var mediaType in contents.OfType<OpenApiMediaType>())
            {
                mediaType.Example = Fresh(mediaType.Example);
            }
        }
    }

    public static WebApplication UseConflictSwagger(this WebApplication app)
    {
        // On in every environment: exploring the API in Swagger UI is the point of a teaching server.
        // The document is an endpoint and the UI runs only under /swagger, so the API's own requests do not pass
        // through two more middlewares that match their path (see tests/load/README.md).
        app.MapSwagger(setupAction: options => options.PreSerializeFilters.Add(HandOutExampleNames));
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(UiPath, StringComparison.OrdinalIgnoreCase),
            swagger => swagger.UseSwaggerUI(options =>
            {
                options.DocumentTitle = "Conflict409";
                options.EnableTryItOutByDefault();
                // The document description links each lesson's tag (#/Lesson 0: ...).
                options.EnableDeepLinking();
                options.DisplayRequestDuration();
            }));
        app.MapGet("/", () => TypedResults.Redirect(UiPath)).ExcludeFromDescription();
        return app;
    }
}
