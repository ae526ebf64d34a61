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

        lessons!.Select(lesson => lesson.Id).Should().Equal(LessonCatalog.All.Select(lesson => lesson.Id));
        lessons.Should().OnlyContain(lesson =>
            lesson.Requests.Count > 0 && lesson.Recovery.Length > 0 && lesson.Cause.Length > 0 && lesson.ProblemTypes.Count > 0);
        lessons.Single(lesson => lesson.Id == "blocking-get").Standard.Should().StartWith("Non-standard");
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
    public async Task Every_operation_is_in_a_described_swagger_section()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var tags = document.RootElement.GetProperty("tags").EnumerateArray()
            .Where(tag => tag.GetProperty("description").GetString() is { Length: > 0 })
            .Select(tag => tag.GetProperty("name").GetString()!)
            .ToArray();
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Select(operation => (
                Id: operation.Value.GetProperty("operationId").GetString()!,
                Tags: operation.Value.GetProperty("tags").EnumerateArray().Select(tag => tag.GetString()!).ToArray()))
            .ToArray();

        // Each lesson's own section is checked lesson by lesson in CatalogueCompletenessTests.
        operations.Should().AllSatisfy(operation =>
            operation.Tags.Should().NotBeEmpty().And.BeSubsetOf(tags, "{0} is in a described section", operation.Id));
    }
}
