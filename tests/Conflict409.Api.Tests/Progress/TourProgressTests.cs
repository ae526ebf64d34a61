using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;

namespace Conflict409.Api.Tests.Progress;

/// <summary>What the board says of the bundled tour, and of the article's own client.</summary>
public sealed class TourProgressTests
{
    [Fact]
    public async Task The_bundled_tour_is_recovered_on_every_graded_lesson_with_no_mistake()
    {
        var tour = await BundledTour.RunAsync();

        tour.Exit.Should().Be(0, tour.Output);
        // Every lesson the catalogue grades, and only those: each conflict the tour provokes, it recovers from.
        tour.Board.Lessons.Where(lesson => lesson.State != LessonStates.NotGraded).Select(lesson => lesson.Id).Should()
            .Equal(GradedOperations.Lessons.Select(lesson => lesson.Id));
        tour.Board.Lessons.Should().AllSatisfy(lesson =>
            (lesson.State, lesson.Recoveries).Should().Be(
                lesson.State == LessonStates.NotGraded ? (LessonStates.NotGraded, 0) : (LessonStates.Recovered, lesson.Conflicts),
                lesson.Id));
        tour.Board.Lessons.Single(lesson => lesson.Id == "versioning").Conflicts.Should().Be(2, "an If-Match and a body version");
        tour.Board.Lessons.SelectMany(lesson => lesson.Mistakes).Should().BeEmpty();
    }

    [Fact]
    public async Task The_articles_client_registers_prints_the_409_and_stops_so_the_conflict_is_seen_not_recovered()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        // The article's httpx snippet: POST /register, print status and body, stop.
        var response = await client.RegisterAsync("john_doe");
        var printed = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";

        printed.Should().StartWith("409 ");
        var board = await client.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
        board.Lessons.Single(lesson => lesson.Id == "duplicate-registration").Mistakes.Should().BeEmpty();
        board.Events.Should().ContainSingle().Which.Judgements.Should().Equal("conflict seen");
    }
}
