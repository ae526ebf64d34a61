using System.ComponentModel.DataAnnotations;
using Conflict409.Api.Clients;
using Conflict409.Api.OpenApi;
using Conflict409.Api.Teams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Users;

/// <summary>Reading, listing and deleting users (lessons 0 and 2); creating them is in <see cref="RegistrationEndpoints"/>.</summary>
public static partial class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users");

        users.MapGet("/{username}", GetUser)
            .WithName(nameof(GetUser))
            .WithSummary("Look up a user by any spelling of the username; the ETag names its version")
            .WithDescription(GetUserDescription)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapDelete("/{username}", DeleteUser)
            .WithName(nameof(DeleteUser))
            .WithSummary("Delete a user: 204, or 409 while a team still references it")
            .WithDescription(DeleteUserDescription)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithProblemExample(
                UserProblems.Referenced(ReferencedResourceLesson.Entry.ExampleOf("member"), [ReferencedResourceLesson.Entry.ExampleOf("team")]),
                "/users/" + ReferencedResourceLesson.Entry.ExampleOf("member"));

        users.MapGet("/", ListUsers)
            .WithName(nameof(ListUsers))
            .WithSummary("Registered users, a page at a time, in username order")
            .WithDescription(ListUsersDescription)
            .ProducesValidationProblem()
            .RequireClientRateLimit(ClientRateLimits.Listing);

        return app;
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(
        string username, IUserStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var user = await store.FindAsync(UsernameKey.From(username), cancellationToken);
        if (user is null)
        {
            return UserProblems.NotFound(username);
        }

        response.Headers.ETag = user.ETag;
        return TypedResults.Ok(UserResponse.From(user));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> DeleteUser(
        string username, IUserStore store, CancellationToken cancellationToken)
    {
        var result = await store.TryDeleteAsync(UsernameKey.From(username), cancellationToken);
        return result.Outcome switch
        {
            DeleteUserOutcome.Deleted => TypedResults.NoContent(),
            DeleteUserOutcome.NotFound => UserProblems.NotFound(username),
            _ => UserProblems.Referenced(username, result.BlockingTeams),
        };
    }

    public static async Task<Ok<UserPage>> ListUsers(
        IUserStore store,
        CancellationToken cancellationToken,
        [Range(1, UserPage.MaxLimit)] int limit = UserPage.DefaultLimit,
        [StringLength(UsernameRules.MaxLength * 4)] string? cursor = null)
    {
        // One more than asked tells whether another page follows without counting the store.
        var users = await store.ListAsync(cursor is null ? null : UsernameKey.From(cursor), limit + 1, cancellationToken);
        var page = users.Take(limit).Select(UserResponse.From).ToArray();
        var next = users.Count > limit ? users[limit - 1].Key.Value : null;
        return TypedResults.Ok(new UserPage(page, next, await store.CountAsync(cancellationToken)));
    }
}
