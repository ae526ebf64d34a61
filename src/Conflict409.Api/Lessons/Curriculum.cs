using Conflict409.Api.Catalog;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Progress;
using Conflict409.Api.Races;
using Conflict409.Api.Shop;
using Conflict409.Api.Teams;
using Conflict409.Api.Users;

namespace Conflict409.Api.Lessons;

/// <summary>How each lesson is graded: its judge, in teaching order, or why it has none.</summary>
public static class Curriculum
{
    public static IReadOnlyList<ILessonJudge> Judges { get; } =
    [
        new DuplicateRegistrationJudge(),
        new VersioningJudge(),
        new ReferencedResourceJudge(),
        new RetriedRequestsJudge(),
        new BlockingGetJudge(),
        new CheckThenActJudge(),
        new StaleSessionJudge(),
    ];

    public static IReadOnlyDictionary<Lesson, string> NotGraded { get; } = new Dictionary<Lesson, string>
    {
        [LessonCatalog.SeveralInstances] = "Its 409 reaches a client as lesson 0's: nothing a client does tells the two apart.",
    };
}
