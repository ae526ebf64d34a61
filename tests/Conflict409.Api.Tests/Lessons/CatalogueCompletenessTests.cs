using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Tests.Progress;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Conflict409.Api.Tests.Lessons;

/// <summary>
/// Everything a lesson must have, asked of every lesson the catalogue lists: adding a lesson that misses a part
/// fails here, naming the lesson and the part.
/// </summary>
public sealed class CatalogueCompletenessTests
{
    public static TheoryData<string> Lessons() => [.. LessonCatalog.All.Select(lesson => lesson.Id)];

    private static (Lesson Lesson, int Number) Find(string id) =>
        LessonCatalog.All.Select((lesson, number) => (lesson, number)).Single(entry => entry.lesson.Id == id);

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task Every_lesson_has_a_judge_watching_live_endpoints_or_says_why_it_is_not_graded(string id)
    {
        var (lesson, number) = Find(id);
        lesson.Title.Should().StartWith($"Lesson {number}: ", "a lesson's number is its place in the catalogue");
        await using var app = new Conflict409App();
        var named = app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .Select(endpoint => endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName).ToHashSet();

        if (GradedOperations.JudgeOf(lesson) is { } judge)
        {
            LessonCatalog.NotGradedBecause(lesson).Should().BeNull();
            judge.WatchedEndpoints.Should().NotBeEmpty().And.BeSubsetOf(named);
            // A lesson may have no mistake to name (lesson 6 judges the server's answers, not the learner's repairs).
            judge.Mistakes.Where(mistake => mistake.Lesson != lesson || mistake.Title.Length == 0 || mistake.Fix.Length == 0)
                .Should().BeEmpty("each mistake is its lesson's, with a title and a fix");
        }
        else
        {
            LessonCatalog.NotGradedBecause(lesson).Should().NotBeNullOrWhiteSpace();
            lesson.Recipes.Should().BeEmpty("a lesson the board does not grade has no recipes to check");
        }
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task Every_lesson_is_a_described_swagger_tag_listing_its_endpoints(string id)
    {
        var (lesson, _) = Find(id);
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var tag = document.RootElement.GetProperty("tags").EnumerateArray()
            .Single(tag => tag.GetProperty("name").GetString() == lesson.Title);
        tag.GetProperty("description").GetString().Should().Contain(lesson.Explanation).And.Contain(lesson.Recovery);
        var tagged = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(operation => operation.Value.GetProperty("tags").EnumerateArray().Any(name => name.GetString() == lesson.Title))
            .Select(operation => operation.Value.GetProperty("operationId").GetString());
        tagged.Should().NotBeEmpty().And.BeEquivalentTo(lesson.Endpoints);
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task Every_problem_type_a_lesson_defines_is_listed_and_every_type_it_teaches_has_its_page(string id)
    {
        var (lesson, _) = Find(id);
        var module = LessonCatalog.Modules.Single(module => module.Lesson == lesson);
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var listed = await client.GetFromJsonAsync<ProblemEndpoints.ProblemTypeDescription[]>("/problems");
        module.DefinedProblemTypes.Select(type => type.Uri).Should().BeSubsetOf(listed!.Select(type => type.Type));
        lesson.ProblemTypes.Should().NotBeEmpty();
        foreach (var type in lesson.ProblemTypes.Union(module.DefinedProblemTypes.Select(type => type.Uri)))
        {
            using var response = await client.GetAsync(type);
            response.StatusCode.Should().Be(HttpStatusCode.OK, type);
            (await response.Content.ReadAsStringAsync()).Should().Contain(type);
        }
    }

    [Theory]
    [MemberData(nameof(Lessons))]
    public async Task Every_lesson_has_a_stretch_of_the_http_file(string id)
    {
        var (_, number) = Find(id);
        var lines = await File.ReadAllLinesAsync(RepositoryFiles.Find("src", "Conflict409.Api", "Conflict409.Api.http"));

        lines.Should().Contain(line => line.StartsWith($"### Lesson {number} — ", StringComparison.Ordinal)
            || line.StartsWith($"# Lesson {number} — ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_graded_lesson_has_a_step_in_the_clients_tour_and_the_rest_say_why_not()
    {
        var tour = await BundledTour.RunAsync();

        foreach (var (lesson, number) in LessonCatalog.All.Select((lesson, number) => (lesson, number)))
        {
            var step = $"Lesson {number} — ";
            if (GradedOperations.JudgeOf(lesson) is null)
            {
                tour.Output.Should().NotContain(step, "{0} is not graded: {1}", lesson.Id, LessonCatalog.NotGradedBecause(lesson));
            }
            else
            {
                tour.Output.Should().Contain(step, lesson.Id);
                tour.Board.Lessons.Single(view => view.Id == lesson.Id).State.Should().Be(LessonStates.Recovered, lesson.Id);
            }
        }
    }
}
