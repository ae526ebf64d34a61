using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conflict409.Api.Lessons;
using Conflict409.Api.Tests.Infrastructure;

namespace Conflict409.Api.Tests.Lessons;

public sealed class LessonCatalogTests
{
    [Fact]
    public async Task Every_lesson_is_listed_in_order_with_its_requests_and_recovery()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var lessons = await client.GetFromJsonAsync<Lesson[]>("/lessons");

        lessons!.Select(lesson => lesson.Id).Should().Equal(
            "duplicate-registration", "versioning", "referenced-resource", "idempotency-key", "blocking-get", "several-instances", "check-then-act", "stale-session");
        lessons.Should().OnlyContain(lesson =>
            lesson.Requests.Count > 0 && lesson.Recovery.Length > 0 && lesson.Cause.Length > 0 && lesson.ProblemTypes.Count > 0);
        lessons.Single(lesson => lesson.Id == "blocking-get").Standard.Should().StartWith("Non-standard");
    }

    [Fact]
    public async Task Every_problem_type_a_lesson_names_resolves_to_its_explanation()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        foreach (var type in LessonCatalog.All.SelectMany(lesson => lesson.ProblemTypes))
        {
            using var response = await client.GetAsync(type);
            response.StatusCode.Should().Be(HttpStatusCode.OK, type);
        }
    }

    [Fact]
    public async Task One_lesson_is_served_by_id_and_an_unknown_one_is_a_404_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        (await client.GetFromJsonAsync<Lesson>("/lessons/versioning"))!.Title.Should().Be("Lesson 1: version mismatch and concurrent updates");
        var problem = await (await client.GetAsync("/lessons/nope")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.Detail.Should().Be("There is no lesson 'nope'. GET /lessons lists them.");
    }

    [Fact]
    public async Task Each_lesson_is_a_described_swagger_tag_whose_section_lists_exactly_the_endpoints_the_catalogue_names()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var tags = document.RootElement.GetProperty("tags").EnumerateArray()
            .ToDictionary(tag => tag.GetProperty("name").GetString()!, tag => tag.GetProperty("description").GetString());
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Select(operation => (
                Id: operation.Value.GetProperty("operationId").GetString()!,
                Tags: operation.Value.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()!).ToArray()))
            .ToArray();

        foreach (var lesson in LessonCatalog.All)
        {
            tags.Should().ContainKey(lesson.Title).WhoseValue.Should().Contain(lesson.Recovery);
            operations.Where(operation => operation.Tags.Contains(lesson.Title)).Select(operation => operation.Id)
                .Should().BeEquivalentTo(lesson.Endpoints, "the section \"{0}\" lists what the catalogue names", lesson.Title);
        }

        operations.Should().AllSatisfy(operation =>
            operation.Tags.Should().NotBeEmpty().And.BeSubsetOf(tags.Keys, "{0} is in a described section", operation.Id));
    }
}
