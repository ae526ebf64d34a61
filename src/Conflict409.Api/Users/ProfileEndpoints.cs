using Conflict409.Api.Clients;
using Conflict409.Api.OpenApi;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Conflict409.Api.Users;

/// <summary>Lesson 1: optimistic concurrency with ETags (412/428) and body versions (409).</summary>
public static class ProfileEndpoints
{
    public static IEndpointRouteBuilder MapProfileEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/users");

        users.MapPut("/{username}/profile", UpdateProfile)
            .WithName(nameof(UpdateProfile))
            .WithSummary("Update a profile: If-Match → 412 when stale; body version → 409 when stale; neither → 428")
            .WithDescription("""
                Every update must say which version it edits, so that no client overwrites a change it never saw
                (a *lost update*). Preconditions are judged in RFC 9110 §13.2.2 order, after the user is found
                (an unknown user is 404 whatever the headers say):

                - `If-Match: "<etag from GET>"` — HTTP's conditional request. Current → **200** with the new ETag;
                  stale → **412 Precondition Failed**.
                - no `If-Match` but `"version": n` in the body — the Kubernetes `resourceVersion` / CouchDB `_rev`
                  convention. Current → **200**; stale → **409 Conflict** with `currentVersion`.
                - neither → **428 Precondition Required** (RFC 6585).

                **Recovery from 409/412:** GET the user again, re-apply your change to the fresh copy, retry with
                the new ETag or version. The store's update is a compare-and-swap: of many concurrent updates from
                one version exactly one succeeds.
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .WithRequestExample(new UpdateProfileRequest("John Doe", "Learns HTTP one status code at a time.", 1))
            .WithProblemExample(VersionMismatch(ExampleUser, expectedVersion: 1), "/users/john_doe/profile")
            .WithProblemExample(PreconditionFailed(ExampleUser, "If-Match \"1\" does not match the current ETag \"2\"."), "/users/john_doe/profile");

        users.MapPut("/{username}", CreateUserIfAbsent)
            .WithName(nameof(CreateUserIfAbsent))
            .WithSummary("Create-only registration with If-None-Match: * → 201 when new, 412 when the name exists")
            .WithDescription("""
                The duplicate-registration conflict of `POST /register`, expressed as an HTTP precondition:
                `If-None-Match: *` means "only if nothing is there yet". When the username exists the precondition
                fails: **412**, where `POST /register` answers **409**. RFC 9110 prescribes 412 here; CouchDB
                answers 409 for the same situation. Without `If-None-Match: *` → **428** (this endpoint never
                replaces a user).
                """)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .ProducesProblem(StatusCodes.Status507InsufficientStorage)
            .RequireClientRateLimit(ClientRateLimits.Registrations);

        return app;
    }

    public static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> UpdateProfile(
        string username,
        UpdateProfileRequest request,
        HttpRequest httpRequest,
        HttpResponse httpResponse,
        IUserStore store,
        CancellationToken cancellationToken)
    {
        var key = UsernameKey.From(username);
        var current = await store.FindAsync(key, cancellationToken);
        if (current is null)
        {
            return UserEndpoints.UserNotFound(username);
        }

        long expectedVersion;
        var usesIfMatch = httpRequest.Headers.IfMatch.Count > 0;
        if (usesIfMatch)
        {
            if (!EntityTagHeaderValue.TryParseStrictList(httpRequest.Headers.IfMatch, out var tags))
            {
                return ProblemTypes.InvalidIfMatch.Result("If-Match must be '*' or a list of quoted entity tags, e.g. If-Match: \"1\".");
            }

            if (!tags.Any(tag => tag.Equals(EntityTagHeaderValue.Any) || tag.Compare(new EntityTagHeaderValue(current.ETag), useStrongComparison: true)))
            {
                return PreconditionFailed(current, $"If-Match {httpRequest.Headers.IfMatch} does not match the current ETag {current.ETag}.");
            }

            expectedVersion = current.Version;
        }
        else if (request.Version is { } bodyVersion)
        {
            expectedVersion = bodyVersion;
        }
        else
        {
            return ProblemTypes.PreconditionRequired.Result(
                $"Say which version you edit: send If-Match: {current.ETag} (from GET {UserEndpoints.UserLocation(current.Username)}) " +
                $"or \"version\": {current.Version} in the body.");
        }

        var result = await store.TryUpdateProfileAsync(key, expectedVersion, new UserProfile(request.DisplayName, request.Bio), cancellationToken);
        switch (result.Outcome)
        {
            case UpdateProfileOutcome.Updated:
                httpResponse.Headers.ETag = result.User!.ETag;
                return TypedResults.Ok(UserResponse.From(result.User));
            case UpdateProfileOutcome.NotFound:
                return UserEndpoints.UserNotFound(username);
            default:
                var latest = result.User!;
                return usesIfMatch
                    ? PreconditionFailed(latest, $"The user changed to version {latest.Version} while this update was applied.")
                    : VersionMismatch(latest, expectedVersion);
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
            return ProblemTypes.PreconditionRequired.Result(
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
                return PreconditionFailed(result.User!,
                    $"If-None-Match: * failed: the username '{username}' is already taken by '{result.User!.Username}'. " +
                    "POST /register would answer 409 for the same reason.");
            case AddUserOutcome.Full:
                return UserEndpoints.UserStoreFull();
        }

        httpResponse.Headers.ETag = result.User!.ETag;
        return TypedResults.Created(UserEndpoints.UserLocation(username), UserResponse.From(result.User));
    }

    /// <summary>john_doe after one edit, as the OpenAPI examples show him.</summary>
    private static readonly User ExampleUser =
        new(UsernameKey.From("john_doe"), "john_doe", DateTimeOffset.UnixEpoch) { Version = User.FirstVersion + 1 };

    private static ProblemHttpResult VersionMismatch(User latest, long expectedVersion) =>
        ProblemTypes.VersionMismatch.Result(
            $"The update is based on version {expectedVersion}, but '{latest.Username}' is at version " +
            $"{latest.Version}. GET it again, re-apply your change, and send version {latest.Version}.",
            VersionExtensions(latest));

    private static ProblemHttpResult PreconditionFailed(User current, string detail) =>
        ProblemTypes.PreconditionFailed.Result(detail, VersionExtensions(current));

    private static Dictionary<string, object?> VersionExtensions(User current) => new()
    {
        ["username"] = current.Username,
        ["currentVersion"] = current.Version,
        ["currentETag"] = current.ETag,
    };
}
