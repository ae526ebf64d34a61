using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;
using Conflict409.Api.Teams;
using Conflict409.Api.Users;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// Every lesson walked as a person walks it: the steps <c>GET /lessons/{id}</c> lists, sent in order to the server
/// started as the README says, from a learner's own address with its own Learner name. Each step must get what it
/// promises, and following the lessons must never be a mistake on the board.
/// </summary>
public sealed class LessonWalkTests(ShippedServer server) : IClassFixture<ShippedServer>
{
    [Fact]
    public async Task Every_lesson_walked_as_written_gets_each_promised_answer_and_ends_recovered_with_no_mistake()
    {
        var ada = new LessonWalker(server, server.NextLearnerAddress(), "ada");

        foreach (var lesson in LessonCatalog.All)
        {
            await ada.WalkAsync(lesson.Id);
        }

        var board = await ada.BoardAsync();
        board.Lessons.Where(lesson => lesson.State != LessonStates.NotGraded).Should().AllSatisfy(lesson =>
        {
            lesson.State.Should().Be(LessonStates.Recovered, $"{lesson.Id} was walked as written\n{ada.Transcript}");
            lesson.Mistakes.Should().BeEmpty($"following {lesson.Id}'s steps is never a mistake");
        });
        board.Lessons.Where(lesson => lesson.State == LessonStates.NotGraded).Select(lesson => lesson.Id)
            .Should().Equal(["several-instances"], "lesson 5 needs two servers and reaches a client as lesson 0");
    }

    [Fact]
    public async Task Five_learners_walking_lessons_1_and_2_at_once_each_get_every_promised_answer()
    {
        var learners = Enumerable.Range(1, 5)
            .Select(n => new LessonWalker(server, server.NextLearnerAddress(), $"learner{n}"))
            .ToArray();

        // Each reading of a lesson hands out names of its own: nobody edits or deletes another learner's user.
        await Task.WhenAll(learners.Select(async learner =>
        {
            await learner.WalkAsync(VersioningLesson.Entry.Id);
            await learner.WalkAsync(ReferencedResourceLesson.Entry.Id);
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
