using Conflict409.Api.Clients;
using Conflict409.Api.Idempotency;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Users;

/// <summary>Lessons 0 and 1: creating a user, by POST (409 when the name is taken) or create-only PUT (412).</summary>
public static partial class RegistrationEndpoints
{
    public const string RegisterPath = "/register";

    public static IEndpointRouteBuilder MapRegistrationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost(RegisterPath, Register)
            .WithName(nameof(Register))
            .WithSummary("Register a username: 201 when new, 409 when it already exists")
            .WithDescription(RegisterDescription)
            .Accepts<RegisterRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .WithRegisterExamples()
            .WithIdempotencyKey<RegisterRequest>()
            .RequireClientRateLimit(ClientRateLimits.Registrations);

        app.MapPut("/users/{username}", CreateUserIfAbsent)
            .WithName(nameof(CreateUserIfAbsent))
            .WithSummary("Create-only registration with If-None-Match: * → 201 when new, 412 when the name exists")
            .WithDescription(CreateUserIfAbsentDescription)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .RequireClientRateLimit(ClientRateLimits.Registrations);

        return app;
    }

    public static async ValueTask<Results<Created<RegistrationResponse>, ProblemHttpResult>> Register(
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
                return UserProblems.UsernameTaken(request.Username, result.User.Username);
            case AddUserOutcome.LookAlike:
                UserLog.RegistrationConflict(logger, request.Username, result.User!.Username);
                return UserProblems.UsernameLookAlike(request.Username, result.User.Username);
            case AddUserOutcome.Full:
                return UserProblems.StoreFull();
            default:
                UserLog.Registered(logger, request.Username);
                return TypedResults.Created(
                    User.PathOf(request.Username),
                    new RegistrationResponse(RegistrationResponse.SuccessMessage, request.Username));
        }
    }

    public static async Task<Results<Created<UserResponse>, ProblemHttpResult, ValidationProblem>> CreateUserIfAbsent(
        string username,
        HttpRequest httpRequest,
        HttpResponse httpResponse,
        IUserStore store,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        if (httpRequest.Headers.IfNoneMatch.ToString() != "*")
        {
            return UserProblemTypes.PreconditionRequired.Result(
                "PUT /users/{username} only creates: send If-None-Match: * (or use POST /register).");
        }

        if (UsernameRules.FindViolation(username) is { } violation)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["username"] = [violation] });
        }

        var candidate = new User(UsernameKey.From(username), username, timeProvider.GetUtcNow());
        var result = await store.TryAddAsync(candidate, cancellationToken);
        switch (result.Outcome)
        {
            case AddUserOutcome.Taken:
                return UserProblems.PreconditionFailed(result.User!,
                    $"If-None-Match: * failed: the username '{username}' is already taken by '{result.User!.Username}'. " +
                    "POST /register would answer 409 for the same reason.");
            case AddUserOutcome.LookAlike:
                return UserProblems.UsernameLookAlike(username, result.User!.Username);
            case AddUserOutcome.Full:
                return UserProblems.StoreFull();
        }

        httpResponse.Headers.ETag = result.User!.ETag;
        return TypedResults.Created(User.PathOf(username), UserResponse.From(result.User));
    }
}
