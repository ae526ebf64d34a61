using Conflict409.Api.Lessons;

namespace Conflict409.Api.Progress;

/// <summary>A mistake the board can name after a lesson's conflict, with how to fix it; each judge lists its own.</summary>
/// <param name="Id">Stable identifier, also the metric's <c>mistake</c> tag.</param>
public sealed record Mistake(string Id, Lesson Lesson, string Title, string Fix);

/// <summary>An endpoint the board grades: who judges it, and how the board shows a request to it.</summary>
/// <param name="Name">The endpoint's name (<c>WithName</c>).</param>
/// <param name="Judges">The judges watching it, in the order they are consulted (<see cref="ILessonJudge"/>).</param>
/// <param name="Request">Method and route as a learner writes them, e.g. "PUT /things/{name}/part".</param>
/// <param name="Parameter">The route parameter a request's target replaces, e.g. "{name}"; null when none.</param>
public sealed record GradedEndpoint(string Name, IReadOnlyList<ILessonJudge> Judges, string Request, string? Parameter);

/// <summary>The endpoints the lessons' judges (<see cref="LessonCatalog.Judges"/>) watch, and what the recorder copies for them.</summary>
public static class GradedOperations
{
    // Latest lesson first: see ILessonJudge's remarks.
    private static readonly Dictionary<string, ILessonJudge[]> JudgesByEndpointName = LessonCatalog.Judges
        .Reverse()
        .SelectMany(judge => judge.WatchedEndpoints.Select(endpoint => (Endpoint: endpoint, Judge: judge)))
        .GroupBy(watch => watch.Endpoint, StringComparer.Ordinal)
        .ToDictionary(group => group.Key, group => group.Select(watch => watch.Judge).ToArray(), StringComparer.Ordinal);

    /// <summary>The lessons the board grades, in catalogue order; any other lesson says why it is not (<see cref="ILessonModule.NotGradedBecause"/>).</summary>
    public static IReadOnlyList<Lesson> Lessons { get; } = [.. LessonCatalog.Judges.Select(judge => judge.Lesson)];

    /// <summary>Request headers some judge reads, copied into each observation that carries one.</summary>
    public static IReadOnlyList<string> RequestHeaders { get; } =
        [.. LessonCatalog.Judges.SelectMany(judge => judge.RequestHeaders).Distinct(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Response headers some judge reads, copied into each observation whose response has one.</summary>
    public static IReadOnlyList<string> ResponseHeaders { get; } =
        [.. LessonCatalog.Judges.SelectMany(judge => judge.ResponseHeaders).Distinct(StringComparer.OrdinalIgnoreCase)];

    public static ILessonJudge? JudgeOf(Lesson lesson) => LessonCatalog.Judges.FirstOrDefault(judge => judge.Lesson == lesson);

    /// <summary>What the board needs of an endpoint, worked out once per endpoint (<see cref="ProgressBoards"/> keeps them).</summary>
    public static GradedEndpoint? Describe(Endpoint? endpoint)
    {
        if (NameOf(endpoint) is not { } name)
        {
            return null;
        }

        var route = endpoint as RouteEndpoint;
        var method = route?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is [var first, ..] ? first : "";
        // A group's "/" endpoint has the pattern "/things/"; the learner wrote "/things".
        var path = route?.RoutePattern.RawText is { Length: > 1 } raw ? raw.TrimEnd('/') : "/";
        var parameter = route?.RoutePattern.Parameters is [var routeParameter, ..] ? $"{{{routeParameter.Name}}}" : null;
        return new GradedEndpoint(name, JudgesByEndpointName[name], $"{method} {path}".Trim(), parameter);
    }

    /// <summary>The name of a graded endpoint (how the shared progress log names it); null for any other.</summary>
    public static string? NameOf(Endpoint? endpoint) =>
        endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName is { } name && JudgesByEndpointName.ContainsKey(name)
            ? name
            : null;
}
