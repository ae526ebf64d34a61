using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Conflict409.Api.Teams;
using Conflict409.Api.Tests.Infrastructure;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Teams;

public sealed class ReferencedUserTests
{
    private static string[] StringArray(object? extension) =>
        ((JsonElement)extension!).EnumerateArray().Select(element => element.GetString()!).ToArray();

    [Fact]
    public async Task A_referenced_user_cannot_be_deleted_until_the_team_is_gone()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var created = await client.SendAsync(CreateTeam("platform", "john_doe", "jane_smith"));
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        created.Headers.Location.Should().Be(new Uri("/teams/platform", UriKind.Relative));
        (await created.Content.ReadFromJsonAsync<TeamResponse>()).Should()
            .BeEquivalentTo(new TeamResponse("platform", "john_doe", ["jane_smith"]));

        using var refused = await client.DeleteAsync("/users/jane_smith");
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/user-referenced");
        problem.Title.Should().Be("The user is still referenced.");
        problem.Detail.Should().Be("The user 'jane_smith' is still referenced by 1 team(s). Delete or change them first, then retry.");
        problem.Instance.Should().Be("/users/jane_smith");
        StringArray(problem.Extensions["blockedBy"]).Should().Equal("/teams/platform");
        (await client.GetAsync("/users/jane_smith")).StatusCode.Should().Be(HttpStatusCode.OK);

        (await client.DeleteAsync("/teams/platform")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.DeleteAsync("/users/jane_smith")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.GetAsync("/users/jane_smith")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Every_team_that_owns_or_lists_the_user_is_named_as_a_blocker()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        (await client.SendAsync(CreateTeam("owned", "john_doe"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await client.SendAsync(CreateTeam("listed", "jane_smith", "JOHN_DOE"))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var refused = await client.DeleteAsync("/users/john_doe");

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        StringArray(problem.Extensions["blockedBy"]).Should().Equal("/teams/listed", "/teams/owned");
    }

    [Fact]
    public async Task Deleting_an_unreferenced_user_returns_204_and_an_unknown_one_404()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        (await client.DeleteAsync("/users/JANE_SMITH")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        using var again = await client.DeleteAsync("/users/jane_smith");

        (await again.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Type.Should().Be("/problems/user-not-found");
    }

    [Fact]
    public async Task A_duplicate_team_name_is_a_409_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        (await client.SendAsync(CreateTeam("platform", "john_doe"))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var duplicate = await client.SendAsync(CreateTeam("PLATFORM", "jane_smith", "ghost"));

        var problem = await duplicate.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/team-name-taken");
        problem.Title.Should().Be("Team name already exists.");
        problem.Detail.Should().Be("The team name 'PLATFORM' is already taken by the team 'platform'.");
        problem.ExtensionString("existingTeam").Should().Be("/teams/platform");
    }

    [Fact]
    public async Task A_team_naming_unknown_users_is_a_422_problem_listing_them()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(CreateTeam("ghosts", "Casper", "john_doe", "Banquo"));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        problem.Type.Should().Be("/problems/unknown-team-members");
        problem.Title.Should().Be("The team names users that do not exist.");
        problem.Detail.Should().Be("The team names 2 user(s) that do not exist.");
        StringArray(problem.Extensions["unknownUsers"]).Should().Equal("casper", "banquo");
        (await client.GetAsync("/teams/ghosts")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_team_without_a_valid_name_or_owner_is_a_400_validation_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.PostJsonAsync("/teams", """{"name":"a b"}""");

        (await response.ShouldBeValidationProblemAsync()).Errors.Keys.Should().BeEquivalentTo("name", "owner");
    }

    [Fact]
    public async Task Teams_are_found_by_any_spelling_and_unknown_ones_are_404_problems()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        (await client.SendAsync(CreateTeam("Platform", "john_doe"))).StatusCode.Should().Be(HttpStatusCode.Created);

        (await client.GetFromJsonAsync<TeamResponse>("/teams/PLATFORM"))!.Name.Should().Be("Platform");
        var problem = await (await client.GetAsync("/teams/nope")).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.Type.Should().Be("/problems/team-not-found");
        (await (await client.DeleteAsync("/teams/nope")).ShouldBeProblemAsync(HttpStatusCode.NotFound))
            .Detail.Should().Be("No team is named 'nope'.");
    }

    [Fact]
    public async Task A_user_deletion_racing_a_team_naming_that_user_never_leaves_a_dangling_reference()
    {
        const int Pairs = 100;
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        for (var i = 0; i < Pairs; i++)
        {
            (await client.RegisterAsync($"member_{i}")).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var outcomes = await Concurrently.RunAsync(Pairs, async i =>
        {
            var deletion = client.DeleteAsync($"/users/member_{i}");
            var creation = client.SendAsync(CreateTeam($"team_{i}", "john_doe", $"member_{i}"));
            using var deleted = await deletion;
            using var created = await creation;
            return (i, Deleted: deleted.StatusCode, Created: created.StatusCode);
        });

        foreach (var (i, deleted, created) in outcomes)
        {
            // Exactly one of the two wins, and what the server says afterwards agrees with who won.
            (deleted, created).Should().BeOneOf(
                (HttpStatusCode.NoContent, HttpStatusCode.UnprocessableEntity),
                (HttpStatusCode.Conflict, HttpStatusCode.Created));
            var userExists = (await client.GetAsync($"/users/member_{i}")).StatusCode == HttpStatusCode.OK;
            var teamExists = (await client.GetAsync($"/teams/team_{i}")).StatusCode == HttpStatusCode.OK;
            (userExists, teamExists).Should().Be((created == HttpStatusCode.Created, created == HttpStatusCode.Created));
        }
    }
}
