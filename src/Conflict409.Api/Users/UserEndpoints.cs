using System.ComponentModel.DataAnnotations;
using Conflict409.Api.Clients;
using Conflict409.Api.Idempotency;
using Conflict409.Api.OpenApi;
using Conflict409.Api.Problems;
using Conflict409.Api.Teams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Users;

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("");

        users.MapPost("/register", Register)
            .WithName(nameof(Register))
            .WithSummary("Register a username: 201 when new, 409 when it already exists")
            .WithDescription("""
                Creates an account for `username`. The classic 409 Conflict: the request is well-formed and
                understood, but it **conflicts with the current state** of the server, because an account with that
                name exists. Usernames are compared after Unicode compatibility normalisation and case folding,
                so `John_Doe` and the full-width `ｊｏｈｎ＿ｄｏｅ` collide with `john_doe`.

                The 409 body is a problem of type [/problems/username-taken](/problems/username-taken): follow the link
                for what it means.

                **How a client recovers from 409:** retrying the same request cannot succeed. Read the problem's
                `existingUsername`, then ask the user for another name (or, if this is a retry of your own earlier
                request, treat the account as created). Contrast: **400** means the input is malformed or breaks the
                username rules; **422** means well-formed but semantically invalid; **412** means a precondition
                header failed; **429** means slow down.

                **Retries (lesson 3):** send `Idempotency-Key: "k-1"`. Retrying with the same key and payload replays
                the first response (201 again, `Idempotent-Replayed: true`) instead of a spurious 409; the same key
                while the first request is still running is **409** (`idempotency-key-in-use`, `Retry-After`); the
                same key with another payload is **422**.
                """)
            .Accepts<RegisterRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithRequestExample(new RegisterRequest("new_user"))
            .WithResponseExample(StatusCodes.Status201Created, new RegistrationResponse(RegistrationResponse.SuccessMessage, "new_user"))
            .WithProblemExample(TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["username"] = [$"The username must be {UsernameRules.MinLength} to {UsernameRules.MaxLength} characters long."],
            }), "/register")
            .WithProblemExample(UsernameTaken("John_Doe", "john_doe"), "/register")
            .WithProblemExample(TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge, title: "Content Too Large",
                type: ProblemTypes.PayloadTooLarge.Uri, detail: ProblemDetailsSetup.PayloadTooLargeDetail), "/register")
            .WithProblemExample(TypedResults.Problem(
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported Media Type",
                type: ProblemTypes.UnsupportedMediaType.Uri, detail: ProblemDetailsSetup.UnsupportedMediaTypeDetail), "/register")
            .WithProblemExample(UserStoreFull(), "/register")
            .WithIdempotencyKey<RegisterRequest>()
            .RequireClientRateLimit(ClientRateLimits.Registrations);

        users.MapGet("/users/{username}", GetUser)
            .WithName(nameof(GetUser))
            .WithSummary("Look up a user by any spelling of the username; the ETag names its version")
            .WithDescription("""
                Uses the same normalisation as `/register`: `/users/JOHN_DOE` finds `john_doe`. The response carries
                a strong `ETag` derived from the user's `version`: send it back in `If-Match` to update the profile.
                """)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapDelete("/users/{username}", DeleteUser)
            .WithName(nameof(DeleteUser))
            .WithSummary("Delete a user: 204, or 409 while a team still references it")
            .WithDescription("""
                A resource-state conflict: deleting a user that a team owns or lists would leave the team pointing at
                nothing, so the server answers **409** with `blockedBy`, the paths of the blocking teams.
                **Recovery:** delete (or change) each blocking team, then retry.
                """)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithProblemExample(UserReferenced("jane_smith", ["platform"]), "/users/jane_smith");

        users.MapGet("/users", ListUsers)
            .WithName(nameof(ListUsers))
            .WithSummary("Registered users, a page at a time, in username order")
            .WithDescription("""
                At most `limit` users (1 to 100, default 50). When more follow, `nextCursor` is set: pass it as
                `cursor` for the next page. Users registered meanwhile appear in their place; none appears twice.
                """)
            .ProducesValidationProblem()
            .RequireClientRateLimit(ClientRateLimits.Listing);

        return app;
    }

    public static async Task<Results<Created<RegistrationResponse>, ProblemHttpResult>> Register(
        RegisterRequest request,
        IUserStore store,
        TimeProvider timeProvider,
        ILogger<UserLog> logger,
        CancellationToken cancellationToken)
    {
        var candidate = new User(UsernameKey.From(request.Username), request.Username, timeProvider.GetUtcNow());
        var result = await store.TryAddAsync(candidate, cancellationToken);
        switch (result.Outcome)
        {
            case AddUserOutcome.Taken:
                UserLog.RegistrationConflict(logger, request.Username, result.User!.Username);
                return UsernameTaken(request.Username, result.User.Username);
            case AddUserOutcome.Full:
                return UserStoreFull();
            default:
                UserLog.Registered(logger, request.Username);
                return TypedResults.Created(
                    UserLocation(request.Username),
                    new RegistrationResponse(RegistrationResponse.SuccessMessage, request.Username));
        }
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> GetUser(
        string username, IUserStore store, HttpResponse response, CancellationToken cancellationToken)
    {
        var user = await store.FindAsync(UsernameKey.From(username), cancellationToken);
        if (user is null)
        {
            return UserNotFound(username);
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
            DeleteUserOutcome.NotFound => UserNotFound(username),
            _ => UserReferenced(username, result.BlockingTeams),
        };
    }

    private static ProblemHttpResult UserReferenced(string username, IReadOnlyList<string> blockingTeams) =>
        ProblemTypes.UserReferenced.Result(
            $"The user '{username}' is still referenced by {blockingTeams.Count} team(s). Delete or change them first, then retry.",
            new Dictionary<string, object?>
            {
                ["username"] = username,
                ["blockedBy"] = blockingTeams.Select(TeamEndpoints.TeamPath).ToArray(),
            });

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

    public static string UserLocation(string username) => $"/users/{Uri.EscapeDataString(username)}";

    public static ProblemHttpResult UsernameTaken(string requested, string existing) =>
        ProblemTypes.UsernameTaken.Result(
            $"The username '{requested}' is already taken by the existing account '{existing}'. Choose another username.",
            new Dictionary<string, object?>
            {
                ["username"] = requested,
                ["existingUsername"] = existing,
            });

    public static ProblemHttpResult UserStoreFull() =>
        ProblemTypes.StoreFull.Result("The server holds as many users as it is configured to. Delete users to make room.");

    public static ProblemHttpResult UserNotFound(string username) =>
        ProblemTypes.UserNotFound.Result(
            $"No account has the username '{username}'.",
            new Dictionary<string, object?> { ["username"] = username });
}
