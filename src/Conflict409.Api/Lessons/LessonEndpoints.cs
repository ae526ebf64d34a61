using Conflict409.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Lessons;

public static class LessonEndpoints
{
    public const string Tag = "Lessons";

    /// <summary>Where the lessons are listed: GET /lessons.</summary>
    public const string ListPath = "/lessons";

    /// <summary>Where a lesson is served: GET /lessons/{id}.</summary>
    public static string PathOf(string id) => $"{ListPath}/{id}";

    /// <summary>Where a lesson's page (HTML: the lesson and its recipes side by side) is served.</summary>
    public static string PagePathOf(string id) => PathOf(id) + PageSuffix;

    public const string PageSuffix = "/page";

    public static IEndpointRouteBuilder MapLessonEndpoints(this IEndpointRouteBuilder app)
    {
        var lessons = app.MapGroup(ListPath).WithTags(Tag);

        lessons.MapGet("/", ListLessons)
            .WithName(nameof(ListLessons))
            .WithSummary("Every lesson: the cause of 409 it shows, the requests that trigger it, and how to recover")
            .WithDescription("The lesson catalogue as data, in teaching order; each lesson is also a tag of this document. " +
                FixturesDescription);

        lessons.MapGet("/{id}", GetLesson)
            .WithName(nameof(GetLesson))
            .WithSummary("One lesson")
            .WithDescription("A lesson by its id, e.g. `versioning`. " + FixturesDescription)
            .ProducesProblem(StatusCodes.Status404NotFound);

        // A page for people, not part of the API's contract: linked from the lesson's Swagger UI tag and the board.
        lessons.MapGet("/{id}" + PageSuffix, GetLessonPage).ExcludeFromDescription();

        return app;
    }

    private const string FixturesDescription =
        "Each reading hands out fresh names for the resources a lesson's steps work on (`fixtures`, already filled " +
        "into `requests`), so learners following the same lesson at once never touch one another's users or teams.";

    public static Ok<Lesson[]> ListLessons() => TypedResults.Ok(LessonCatalog.All.Select(lesson => lesson.HandOutFixtures()).ToArray());

    public static Results<Ok<Lesson>, ProblemHttpResult> GetLesson(string id) =>
        LessonCatalog.All.FirstOrDefault(lesson => lesson.Id == id) is { } lesson
            ? TypedResults.Ok(lesson.HandOutFixtures())
            : ProblemTypes.NotFound.Result($"There is no lesson '{id}'. GET /lessons lists them.");

    public static Results<ContentHttpResult, ProblemHttpResult> GetLessonPage(string id) =>
        LessonCatalog.All.FirstOrDefault(lesson => lesson.Id == id) is { } lesson
            ? TypedResults.Content(LessonPage.Render(lesson.HandOutFixtures()), "text/html; charset=utf-8")
            : ProblemTypes.NotFound.Result($"There is no lesson '{id}'. GET /lessons lists them.");
}
