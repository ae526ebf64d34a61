using Conflict409.Api.Lessons;

namespace Conflict409.Api.Problems;

/// <summary>
/// Every problem type the server sends, each listed at <c>GET /problems</c> and explained at <c>/problems/{slug}</c>:
/// the types each lesson's module declares, lesson by lesson in catalogue order, then the shared
/// <see cref="ProblemTypes"/>. The test host fails any test whose server sent a <c>type</c> that is not here.
/// </summary>
public static class ProblemCatalog
{
    public static IReadOnlyList<ProblemType> All { get; } =
        [.. LessonCatalog.Modules.SelectMany(module => module.DefinedProblemTypes), .. ProblemTypes.Shared];

    public static ProblemType? FindBySlug(string slug) =>
        All.FirstOrDefault(type => string.Equals(type.Slug, slug, StringComparison.OrdinalIgnoreCase));

    public static ProblemType? FindByUri(string? uri) =>
        All.FirstOrDefault(type => string.Equals(type.Uri, uri, StringComparison.Ordinal));
}
