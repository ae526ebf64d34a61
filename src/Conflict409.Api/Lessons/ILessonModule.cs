using Conflict409.Api.Problems;
using Conflict409.Api.Progress;

namespace Conflict409.Api.Lessons;

/// <summary>
/// What a lesson's folder declares of it: its catalogue entry (<see cref="Lesson"/>: its prose, problem types and the
/// endpoints of its Swagger section), the problem types the folder defines, how the board grades it, and the services,
/// middleware and endpoint groups the folder adds.
/// <see cref="LessonCatalog.Modules"/> lists them, in teaching order.
/// </summary>
public interface ILessonModule
{
    Lesson Lesson { get; }

    /// <summary>
    /// The problem types only this lesson's endpoints send, defined in its folder; <see cref="ProblemCatalog"/> lists
    /// them at <c>GET /problems</c>. Types several lessons or the platform send are <see cref="ProblemTypes"/>' own.
    /// </summary>
    IReadOnlyList<ProblemType> DefinedProblemTypes => [];

    /// <summary>The part of grading that knows the lesson's rule; null for a lesson the board does not grade.</summary>
    ILessonJudge? Judge { get; }

    /// <summary>Why the board does not grade the lesson, when it has no <see cref="Judge"/>.</summary>
    string? NotGradedBecause => null;

    /// <summary>Registers the services the lesson's endpoints need; Program.cs calls every module's at one place.</summary>
    void AddServices(IServiceCollection services)
    {
    }

    /// <summary>Adds the middleware the lesson's endpoints need, at the one place in the pipeline Program.cs gives lessons.</summary>
    void UseMiddleware(WebApplication app)
    {
    }

    /// <summary>Maps the endpoint groups the lesson's folder owns; none when it teaches with other lessons' endpoints.</summary>
    void MapEndpoints(IEndpointRouteBuilder api)
    {
    }
}
