using Conflict409.Api.Lessons;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Problems;

public static class ProblemEndpoints
{
    public const string Tag = "Problem types";

    /// <param name="Type">The <c>type</c> member problems of this kind carry.</param>
    /// <param name="Status">The status they are sent with.</param>
    /// <param name="Title">Their fixed title.</param>
    /// <param name="Explanation">What it means and how a client recovers.</param>
    /// <param name="Page">Where this explanation is served; the same as <paramref name="Type"/> except for the
    /// framework's own problems, whose type links the RFC.</param>
    /// <param name="Lessons">Where the rule behind the problem is taught in full: the lessons that send it
    /// (<c>GET /lessons/{id}</c>), so the page explains one problem and links the rule instead of restating it.</param>
    public sealed record ProblemTypeDescription(
        string Type, int Status, string Title, string Explanation, string Page, IReadOnlyList<string> Lessons);

    public static IEndpointRouteBuilder MapProblemEndpoints(this IEndpointRouteBuilder app)
    {
        var problems = app.MapGroup("/problems").WithTags(Tag);

        problems.MapGet("/", ListProblemTypes)
            .WithName(nameof(ListProblemTypes))
            .WithSummary("Every problem type this server sends")
            .WithDescription("Each `type` URI in a problem+json body resolves to one of these explanations.");

        problems.MapGet("/{slug}", DescribeProblemType)
            .WithName(nameof(DescribeProblemType))
            .WithSummary("What a problem type means and how a client recovers")
            .WithDescription("The target of a problem's `type` URI (RFC 9457 §3.1.1), e.g. `/problems/username-taken`.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    private static Ok<ProblemTypeDescription[]> ListProblemTypes() =>
        TypedResults.Ok(ProblemCatalog.All.Select(Describe).ToArray());

    private static Results<Ok<ProblemTypeDescription>, ProblemHttpResult> DescribeProblemType(string slug) =>
        ProblemCatalog.FindBySlug(slug) is { } type
            ? TypedResults.Ok(Describe(type))
            : ProblemTypes.NotFound.Result($"This server defines no problem type named '{slug}'. GET /problems lists them.");

    private static ProblemTypeDescription Describe(ProblemType type) =>
        new(type.Uri, type.Status, type.Title, type.Explanation, type.Page,
            [.. LessonCatalog.All.Where(lesson => lesson.ProblemTypes.Contains(type.Uri)).Select(lesson => LessonEndpoints.PathOf(lesson.Id))]);
}
