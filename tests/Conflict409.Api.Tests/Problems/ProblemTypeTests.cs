using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;

namespace Conflict409.Api.Tests.Problems;

public sealed class ProblemTypeTests
{
    [Fact]
    public async Task The_type_of_a_409_resolves_to_its_explanation()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        using var conflict = await client.RegisterAsync("john_doe");
        var problem = await conflict.ShouldBeProblemAsync(HttpStatusCode.Conflict);

        var description = await client.GetFromJsonAsync<ProblemEndpoints.ProblemTypeDescription>(
            problem.Type);

        description!.Type.Should().Be(problem.Type);
        description.Status.Should().Be(409);
        description.Title.Should().Be(problem.Title);
        description.Explanation.Should().Contain("choosing another username");
    }

    [Fact]
    public async Task Every_problem_type_is_listed_and_its_page_explains_it()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var all = (await client.GetFromJsonAsync<ProblemEndpoints.ProblemTypeDescription[]>("/problems"))!;

        all.Select(type => type.Type).Should().Equal(ProblemCatalog.All.Select(type => type.Uri));
        all.Select(type => type.Type).Should().OnlyHaveUniqueItems();
        foreach (var listed in all)
        {
            var page = await client.GetFromJsonAsync<ProblemEndpoints.ProblemTypeDescription>(listed.Page);
            page.Should().BeEquivalentTo(listed);
            page!.Explanation.Should().NotBeNullOrWhiteSpace();
        }
    }

    [Fact]
    public async Task Every_problem_page_links_the_lessons_that_teach_its_rule()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var all = (await client.GetFromJsonAsync<ProblemEndpoints.ProblemTypeDescription[]>("/problems"))!;

        all.Single(type => type.Type == UserProblemTypes.VersionMismatch.Uri).Lessons.Should().Contain("/lessons/versioning");
        all.Single(type => type.Type == IdempotencyProblemTypes.IdempotencyKeyInUse.Uri).Lessons.Should().Equal("/lessons/idempotency-key");
        foreach (var lesson in all.SelectMany(type => type.Lessons).Distinct())
        {
            using var response = await client.GetAsync(lesson);
            response.StatusCode.Should().Be(HttpStatusCode.OK, lesson);
        }

        foreach (var taught in LessonCatalog.All.SelectMany(lesson => lesson.ProblemTypes.Select(type => (lesson.Id, Type: type))))
        {
            all.Single(type => type.Type == taught.Type).Lessons.Should().Contain($"/lessons/{taught.Id}");
        }
    }

    [Fact]
    public async Task The_test_host_records_the_problem_types_that_handlers_middleware_and_the_framework_send()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        (await client.RegisterAsync("john_doe")).Dispose();
        (await client.PostJsonAsync("/register", "{")).Dispose();
        (await client.GetAsync("/no/such/route")).Dispose();
        (await client.PostAsync("/register", new StringContent("{}", System.Text.Encoding.Latin1, "application/json"))).Dispose();

        // The recorder is what lets every test of the suite check the types it met against ProblemTypes.
        app.ProblemTypesSent.Should().BeEquivalentTo(
            UserProblemTypes.UsernameTaken.Uri, ProblemTypes.BadRequest.Uri, ProblemTypes.NotFound.Uri, ProblemTypes.UnsupportedMediaType.Uri);
    }

    [Fact]
    public async Task An_unknown_problem_type_is_a_404_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/problems/no-such-problem");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.Detail.Should().Be("This server defines no problem type named 'no-such-problem'. GET /problems lists them.");
    }
}
