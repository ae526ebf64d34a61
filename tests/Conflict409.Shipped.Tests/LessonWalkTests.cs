using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// Every lesson walked as a person walks it: the steps <c>GET /lessons/{id}</c> lists, sent in order to the server
/// started as the README says, from a learner's own address with its own Learner name. Each step must get what it
/// promises, and following the lessons must never be a mistake on the board.
/// </summary>
public sealed class LessonWalkTests(ShippedServer server) : IClassFixture<ShippedServer>
{
    [Fact]
    public async Task Five_learners_walking_lessons_1_and_2_at_once_each_get_every_promised_answer()
    {
        var learners = Enumerable.Range(1, 5)
            .Select(n => new LessonWalker(server, server.NextLearnerAddress(), $"learner{n}"))
            .ToArray();

        // Each reading of a lesson hands out names of its own: nobody edits or deletes another learner's user.
        await Task.WhenAll(learners.Select(async learner =>
        {
            await learner.WalkAsync(LessonCatalog.Versioning.Id);
            await learner.WalkAsync(LessonCatalog.ReferencedResource.Id);
        }));

        foreach (var learner in learners)
        {
            var board = await learner.BoardAsync();
            board.Lessons.Where(lesson => lesson.Id is "versioning" or "referenced-resource")
                .Should().AllSatisfy(lesson =>
                {
                    lesson.State.Should().Be(LessonStates.Recovered, learner.Transcript);
                    lesson.Conflicts.Should().Be(lesson.Id == "versioning" ? 3 : 1, "one learner's walk, untouched by the others");
                    lesson.Mistakes.Should().BeEmpty();
                });
        }
    }
}
