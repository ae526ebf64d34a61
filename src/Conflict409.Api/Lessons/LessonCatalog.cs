using Conflict409.Api.Catalog;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Progress;
using Conflict409.Api.Races;
using Conflict409.Api.Shop;
using Conflict409.Api.Storage;
using Conflict409.Api.Teams;
using Conflict409.Api.Users;

namespace Conflict409.Api.Lessons;

/// <summary>
/// The lessons, in teaching order: the one list of them. Each lesson's folder declares the lesson
/// (<see cref="ILessonModule"/>); adding a lesson is a new folder and one entry here, in order. Its Swagger UI tag and
/// tag description, its <c>GET /lessons</c> entry, the tags of the endpoints it names, its endpoints and its column on
/// the board all follow from it. An endpoint joins a lesson's Swagger section by being named (by its <c>WithName</c>,
/// the handler's name) in <see cref="Lesson.Endpoints"/>, never by <c>WithTags</c>.
/// </summary>
public static class LessonCatalog
{
    public static IReadOnlyList<ILessonModule> Modules { get; } =
    [
        new DuplicateRegistrationLesson(),
        new VersioningLesson(),
        new ReferencedResourceLesson(),
        new RetriedRequestsLesson(),
        new BlockingGetLesson(),
        new SeveralInstancesLesson(),
        new CheckThenActLesson(),
        new StaleSessionLesson(),
    ];

    /// <summary>Every lesson, in teaching order.</summary>
    public static IReadOnlyList<Lesson> All { get; } = [.. Modules.Select(module => module.Lesson)];

    /// <summary>The judges of the graded lessons, in teaching order.</summary>
    public static IReadOnlyList<ILessonJudge> Judges { get; } = [.. Modules.Select(module => module.Judge).OfType<ILessonJudge>()];

    /// <summary>Why the board does not grade <paramref name="lesson"/>; null for a graded lesson.</summary>
    public static string? NotGradedBecause(Lesson lesson) =>
        Modules.FirstOrDefault(module => module.Lesson == lesson)?.NotGradedBecause;
}
