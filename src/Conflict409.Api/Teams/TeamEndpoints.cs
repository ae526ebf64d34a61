using System.ComponentModel.DataAnnotations;
using Conflict409.Api.Clients;
using Conflict409.Api.Problems;
using Conflict409.Api.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Teams;

public sealed record CreateTeamRequest(
    [property: Required(ErrorMessage = "A team name is required.")] [property: ValidUsername] string Name,
    [property: Required(ErrorMessage = "An owner is required.")] string Owner,
    [property: MaxLength(TeamEndpoints.MaxMembers)] [property: ValidUsername] string?[]? Members);

public sealed record TeamResponse(string Name, string Owner, IReadOnlyList<string> Members)
{
    public static TeamResponse From(Team team) => new(team.Name, team.Owner, team.Members);
}

/// <summary>Lesson 2: resources that reference users, so deleting a user can conflict.</summary>
public static partial class TeamEndpoints
{
    public const int MaxMembers = 100;

    public static IEndpointRouteBuilder MapTeamEndpoints(this IEndpointRouteBuilder app)
    {
        var teams = app.MapGroup("/teams");

        teams.MapPost("/", CreateTeam)
            .WithName(nameof(CreateTeam))
            .WithSummary("Create a team: 201; 409 when the name is taken; 422 when it names unknown users")
            .WithDescription(CreateTeamDescription)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithCreateTeamExamples()
            .RequireClientRateLimit(ClientRateLimits.TeamCreations);

        teams.MapGet("/{name}", GetTeam)
            .WithName(nameof(GetTeam))
            .WithSummary("A team with its owner and members")
            .WithDescription(GetTeamDescription)
            .ProducesProblem(StatusCodes.Status404NotFound);

        teams.MapDelete("/{name}", DeleteTeam)
            .WithName(nameof(DeleteTeam))
            .WithSummary("Delete a team, releasing the users it references")
            .WithDescription(DeleteTeamDescription)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return app;
    }

    public static async Task<Results<Created<TeamResponse>, ProblemHttpResult>> CreateTeam(
        CreateTeamRequest request, ITeamStore store, CancellationToken cancellationToken)
    {
        // Validation has refused null members before the handler runs.
        var team = new Team(TeamKey.From(request.Name), request.Name, request.Owner, request.Members?.OfType<string>().ToArray() ?? []);
        var result = await store.TryCreateTeamAsync(team, cancellationToken);
        return result.Outcome switch
        {
            CreateTeamOutcome.Created => TypedResults.Created(Team.PathOf(team.Name), TeamResponse.From(team)),
            CreateTeamOutcome.NameTaken => TeamProblemTypes.TeamNameTaken.Result(
                $"The team name '{request.Name}' is already taken by the team '{result.Team!.Name}'.",
                new Dictionary<string, object?> { ["name"] = request.Name, ["existingTeam"] = Team.PathOf(result.Team.Name) }),
            CreateTeamOutcome.Full => ProblemTypes.StoreFull.Result(
                "The server holds as many teams as it is configured to. Delete teams to make room."),
            _ => TeamProblemTypes.UnknownTeamMembers.Result(
                $"The team names {result.UnknownUsers.Count} user(s) that do not exist.",
                new Dictionary<string, object?> { ["unknownUsers"] = result.UnknownUsers.Select(user => user.Value).ToArray() }),
        };
    }

    public static async Task<Results<Ok<TeamResponse>, ProblemHttpResult>> GetTeam(
        string name, ITeamStore store, CancellationToken cancellationToken)
    {
        var team = await store.FindTeamAsync(TeamKey.From(name), cancellationToken);
        return team is null ? TeamNotFound(name) : TypedResults.Ok(TeamResponse.From(team));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteTeam(
        string name, ITeamStore store, CancellationToken cancellationToken) =>
        await store.TryDeleteTeamAsync(TeamKey.From(name), cancellationToken)
            ? TypedResults.NoContent()
            : TeamNotFound(name);

    private static ProblemHttpResult TeamNotFound(string name) =>
        TeamProblemTypes.TeamNotFound.Result($"No team is named '{name}'.", new Dictionary<string, object?> { ["name"] = name });
}
