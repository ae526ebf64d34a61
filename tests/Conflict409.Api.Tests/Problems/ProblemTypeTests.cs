using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Problems;
using Conflict409.Api.Tests.Infrastructure;

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
    public async Task Every_problem_type_is_listed_and_resolves()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var all = await client.GetFromJsonAsync<ProblemEndpoints.ProblemTypeDescription[]>("/problems");

        all!.Select(type => type.Type).Should().Contain(["/problems/username-taken", "/problems/user-not-found"]);
        foreach (var type in all!)
        {
            using var response = await client.GetAsync(type.Type);
            response.StatusCode.Should().Be(HttpStatusCode.OK, type.Type);
        }
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
