using Conflict409.Api.Problems;
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
        var current = await store.FindAsync(key, cancellationToken);
        if (current is null)
        {
            return UserProblems.NotFound(username);
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
                return UserProblems.PreconditionFailed(current, $"If-Match {httpRequest.Headers.IfMatch} does not match the current ETag {current.ETag}.");
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
                $"Say which version you edit: send If-Match: {current.ETag} (from GET {User.PathOf(current.Username)}) " +
                $"or \"version\": {current.Version} in the body.");
        }

        var result = await store.TryUpdateProfileAsync(key, expectedVersion, new UserProfile(request.DisplayName, request.Bio), cancellationToken);
        switch (result.Outcome)
        {
            case UpdateProfileOutcome.Updated:
                httpResponse.Headers.ETag = result.User!.ETag;
                return TypedResults.Ok(UserResponse.From(result.User));
            case UpdateProfileOutcome.NotFound:
                return UserProblems.NotFound(username);
            default:
                var latest = result.User!;
                return usesIfMatch
                    ? UserProblems.PreconditionFailed(latest, $"The user changed to version {latest.Version} while this update was applied.")
                    : UserProblems.VersionMismatch(latest, expectedVersion);
        }
    }
}
