using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace Conflict409.Api.Users;

/// <summary>Lesson 1: optimistic concurrency with ETags (412/428) and body versions (409).</summary>
public static partial class ProfileEndpoints
{
    public static IEndpointRouteBuilder MapProfileEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPut("/users/{username}/profile", UpdateProfile)
            .WithName(nameof(UpdateProfile))
            .WithSummary("Update a profile: If-Match → 412 when stale; body version → 409 when stale; neither → 428")
            .WithDescription(UpdateProfileDescription)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .WithUpdateProfileExamples();

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
        var ifMatch = httpRequest.Headers.IfMatch;
        VersionPrecondition precondition;
        if (ifMatch.Count > 0)
        {
            if (!EntityTagHeaderValue.TryParseStrictList(ifMatch, out var tags))
            {
                return UserProblemTypes.InvalidIfMatch.Result("If-Match must be '*' or a list of quoted entity tags, e.g. If-Match: \"1\".");
            }

            precondition = VersionPrecondition.FromIfMatch(tags);
        }
        else if (request.Version is { } bodyVersion)
        {
            precondition = VersionPrecondition.Exactly(bodyVersion);
        }
        else
        {
            // Only the 428 reads the user first: it names the version to send.
            return await store.FindAsync(key, cancellationToken) is { } current
                ? UserProblemTypes.PreconditionRequired.Result(
                    $"Say which version you edit: send If-Match: {current.ETag} (from GET {User.PathOf(current.Username)}) " +
                    $"or \"version\": {current.Version} in the body.")
                : UserProblems.NotFound(username);
        }

        // One step: the store compares the version and writes, or tells why not (no read before the write).
        var result = await store.TryUpdateProfileAsync(key, precondition, new UserProfile(request.DisplayName, request.Bio), cancellationToken);
        switch (result.Outcome)
        {
            case UpdateProfileOutcome.Updated:
                httpResponse.Headers.ETag = result.User!.ETag;
                return TypedResults.Ok(UserResponse.From(result.User));
            case UpdateProfileOutcome.NotFound:
                return UserProblems.NotFound(username);
            default:
                var latest = result.User!;
                return ifMatch.Count > 0
                    ? UserProblems.PreconditionFailed(latest, $"If-Match {ifMatch} does not match the current ETag {latest.ETag}.")
                    : UserProblems.VersionMismatch(latest, request.Version!.Value);
        }
    }
}
