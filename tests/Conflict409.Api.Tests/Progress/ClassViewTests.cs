using System.Net;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using System.Text.Json.Nodes;
using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Conflict409.Api.Tests.Progress;

/// <summary>The teacher's class view: every learner's lessons at once, bounded, as JSON, as a stream and as a page.</summary>
public sealed class ClassViewTests
{
    private readonly FakeTimeProvider _clock = new(ProgressApp.Start);

    /// <summary>A row as the class view writes it: every lesson not started (or not graded) except those in <paramref name="moved"/>.</summary>
    private static object Row(string learner, string identifiedBy, DateTimeOffset lastSeen, params (string Lesson, string State, int Mistakes)[] moved) => new
    {
        learner,
        identifiedBy,
        lastSeen,
        lessons = LessonCatalog.All.Select(lesson =>
            moved.Where(cell => cell.Lesson == lesson.Id).Select(cell => new { id = lesson.Id, state = cell.State, mistakes = cell.Mistakes })
                .SingleOrDefault()
            ?? new
            {
                id = lesson.Id,
                state = GradedOperations.Lessons.Contains(lesson) ? LessonStates.NotStarted : LessonStates.NotGraded,
                mistakes = 0,
            }),
    };

    [Fact]
    public async Task The_class_json_lists_every_learner_with_each_lessons_state_and_mistake_count_exactly()
    {
        await using var app = new Conflict409App().WithClock(_clock);
        using var ada = app.Learner("ada");
        using var bea = app.Learner("bea");
        using var cy = app.Learner("cy", address: "10.1.2.3");
        using var anonymous = app.Learner("placeholder", address: "10.1.2.4");
        anonymous.DefaultRequestHeaders.Remove(Learner.HeaderName);

        // Ada provokes lesson 0's conflict and retries blindly; Bea recovers; Cy registers with no conflict at all;
        // the client without a name is known by its address.
        (await ada.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        _clock.Advance(TimeSpan.FromMinutes(1));
        (await bea.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await bea.PostAsJsonAsync("/register", new { username = "bea_b" })).StatusCode.Should().Be(HttpStatusCode.Created);
        _clock.Advance(TimeSpan.FromMinutes(1));
        (await cy.PostAsJsonAsync("/register", new { username = "cy_c" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await anonymous.PostAsJsonAsync("/register", new { username = "jane_smith" })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        using var response = await ada.GetAsync("/progress/class");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        var expected = JsonSerializer.SerializeToNode(new
        {
            recording = true,
            version = 6,
            maxLearners = 1000,
            lessons = LessonCatalog.All.Select(lesson => new { id = lesson.Id, title = lesson.Title }),
            learners = new[]
            {
                Row("10.1.2.4", "address", ProgressApp.Start.AddMinutes(2), ("duplicate-registration", LessonStates.ConflictSeen, 0)),
                Row("ada", "header", ProgressApp.Start, ("duplicate-registration", LessonStates.ConflictSeen, 1)),
                Row("bea", "header", ProgressApp.Start.AddMinutes(1), ("duplicate-registration", LessonStates.Recovered, 0)),
                Row("cy", "header", ProgressApp.Start.AddMinutes(2)),
            },
        }, JsonSerializerOptions.Web);
        var actual = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        JsonNode.DeepEquals(actual, expected).Should().BeTrue($"the class view is exactly\n{expected}\nbut was\n{actual}");
    }

    [Fact]
    public async Task The_class_lists_at_most_progress_max_learners_rows_the_least_active_forgotten_first()
    {
        await using var app = new Conflict409App().WithClock(_clock).WithSetting("Progress:MaxLearners", "2")
            .WithSetting("Progress:MaxLearnersPerAddress", "1");
        // Each at an address of its own, so the bound at work is the server's, not one address's share of it.
        foreach (var (name, address) in new[] { ("ada", "10.0.0.1"), ("bea", "10.0.0.2"), ("cy", "10.0.0.3") })
        {
            using var learner = app.Learner(name, address);
            (await learner.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        }

        using var client = app.CreateClient();
        var view = await client.GetFromJsonAsync<ClassView>("/progress/class");

        view!.MaxLearners.Should().Be(2);
        view.Learners.Select(row => row.Learner).Should().Equal("bea", "cy");
    }

    [Fact]
    public async Task The_class_stream_sends_the_view_now_and_again_after_a_learner_changes_it()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada");
        using var client = app.CreateClient();
        using var stream = await client.GetStreamAsync("/progress/class/events", TestContext.Current.CancellationToken);
        await using var frames = SseParser.Create(stream, (_, data) => JsonSerializer.Deserialize<ClassView>(data, JsonSerializerOptions.Web)!)
            .EnumerateAsync(TestContext.Current.CancellationToken).GetAsyncEnumerator(TestContext.Current.CancellationToken);

        (await frames.MoveNextAsync()).Should().BeTrue();
        frames.Current.EventType.Should().Be(ClassEndpoints.ClassEventType);
        frames.Current.Data.Learners.Should().BeEmpty();

        (await ada.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await frames.MoveNextAsync()).Should().BeTrue();

        frames.Current.Data.Learners.Should().ContainSingle().Which.Learner.Should().Be("ada");
        frames.Current.Data.Learners[0].Lessons[0].State.Should().Be(LessonStates.ConflictSeen);
    }

    [Fact]
    public async Task The_class_page_is_served_and_listens_to_the_class_stream()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var page = await client.GetAsync(ClassEndpoints.PagePath);

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.ToString().Should().Be("text/html; charset=utf-8");
        (await page.Content.ReadAsStringAsync()).Should().Contain("new EventSource('/progress/class/events')");
    }
}
