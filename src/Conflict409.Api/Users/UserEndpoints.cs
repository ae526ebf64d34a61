using System.ComponentModel.DataAnnotations;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Lessons;
using Conflict409.Api.OpenApi;
using Conflict409.Api.Problems;
using Conflict409.Api.Teams;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Users;

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("").WithTags(LessonCatalog.DuplicateRegistration.Title);

        users.MapPost("/register", Register)
            .WithName("Register")
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
            .WithResponseExample(StatusCodes.Status400BadRequest, Examples.ValidationProblem)
            .WithResponseExample(StatusCodes.Status409Conflict, Examples.UsernameTakenProblem)
            .WithResponseExample(StatusCodes.Status413PayloadTooLarge, Examples.PayloadTooLargeProblem)
            .WithResponseExample(StatusCodes.Status415UnsupportedMediaType, Examples.UnsupportedMediaTypeProblem)
            .WithResponseExample(StatusCodes.Status507InsufficientStorage, Examples.StoreFullProblem)
            .WithTags(LessonCatalog.RetriedRequests.Title, LessonCatalog.SeveralInstances.Title)
            .WithIdempotencyKey<RegisterRequest>();

        users.MapGet("/users/{username}", GetUser)
            .WithName("GetUser")
            .WithSummary("Look up a user by any spelling of the username; the ETag names its version")
            .WithDescription("""
                Uses the same normalisation as `/register`: `/users/JOHN_DOE` finds `john_doe`. The response carries
                a strong `ETag` derived from the user's `version`: send it back in `If-Match` to update the profile.
                """)
            .WithTags(LessonCatalog.Versioning.Title)
            .ProducesProblem(StatusCodes.Status404NotFound);

        users.MapDelete("/users/{username}", DeleteUser)
            .WithName("DeleteUser")
            .WithSummary("Delete a user: 204, or 409 while a team still references it")
            .WithDescription("""
                A resource-state conflict: deleting a user that a team owns or lists would leave the team pointing at
                nothing, so the server answers **409** with `blockedBy`, the paths of the blocking teams.
                **Recovery:** delete (or change) each blocking team, then retry.
                """)
            .WithTags(LessonCatalog.ReferencedResource.Title)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithResponseExample(StatusCodes.Status409Conflict, Examples.UserReferencedProblem);

        users.MapGet("/users", ListUsers)
            .WithName("ListUsers")
            .WithSummary("Registered users, a page at a time, in username order")
            .WithDescription("""
                At most `limit` users (1 to 100, default 50). When more follow, `nextCursor` is set: pass it as
                `cursor` for the next page. Users registered meanwhile appear in their place; none appears twice.
                """)
            .ProducesValidationProblem();

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
            _ => ProblemTypes.UserReferenced.Result(
                $"The user '{username}' is still referenced by {result.BlockingTeams.Count} team(s). " +
                "Delete or change them first, then retry.",
                new Dictionary<string, object?>
                {
                    ["username"] = username,
                    ["blockedBy"] = result.BlockingTeams.Select(TeamEndpoints.TeamPath).ToArray(),
                }),
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

    private static class Examples
    {
        public static readonly object ValidationProblem = new
        {
            type = "https://tools.ietf.org/html/rfc9110#section-15.5.1",
            title = "One or more validation errors occurred.",
            status = 400,
            instance = "/register",
            errors = new Dictionary<string, string[]> { ["username"] = ["The username must be 3 to 32 characters long."] },
        };

        public static readonly object UsernameTakenProblem = new
        {
            type = ProblemTypes.UsernameTaken.Uri,
            title = ProblemTypes.UsernameTaken.Title,
            status = 409,
            detail = "The username 'John_Doe' is already taken by the existing account 'john_doe'. Choose another username.",
            instance = "/register",
            username = "John_Doe",
            existingUsername = "john_doe",
        };

        public static readonly object UserReferencedProblem = new
        {
            type = ProblemTypes.UserReferenced.Uri,
            title = ProblemTypes.UserReferenced.Title,
            status = 409,
            detail = "The user 'jane_smith' is still referenced by 1 team(s). Delete or change them first, then retry.",
            instance = "/users/jane_smith",
            username = "jane_smith",
            blockedBy = new[] { "/teams/platform" },
        };

        public static readonly object PayloadTooLargeProblem = new
        {
            type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14",
            title = "Payload Too Large",
            status = 413,
            detail = "The request body is larger than this server accepts.",
            instance = "/register",
        };

        public static readonly object StoreFullProblem = new
        {
            type = ProblemTypes.StoreFull.Uri,
            title = ProblemTypes.StoreFull.Title,
            status = 507,
            detail = "The server holds as many users as it is configured to. Delete users to make room.",
            instance = "/register",
        };

        public static readonly object UnsupportedMediaTypeProblem = new
        {
            type = "https://tools.ietf.org/html/rfc9110#section-15.5.16",
            title = "Unsupported Media Type",
            status = 415,
            detail = "Send the request body as JSON with 'Content-Type: application/json'.",
            instance = "/register",
        };
    }
}
