using Conflict409.Api.OpenApi;

namespace Conflict409.Api.Users;

/// <summary>The OpenAPI prose and examples of the profile endpoint.</summary>
public static partial class ProfileEndpoints
{
    private const string UpdateProfileDescription = $"""
        {UpdateRules.Preconditions}

        A current precondition → **200** with the new `ETag`. `If-Match` wins over a body `version` when both are
        sent; an unknown user is 404; a malformed `If-Match` is 400.

        **Recovery from 409/412:** GET the user again, re-apply your change to the fresh copy, retry with
        the new ETag or version. The store's update is a compare-and-swap: of many concurrent updates from
        one version exactly one succeeds.
        """;

    /// <summary>Lesson 1's own user after one edit, as the OpenAPI examples show it.</summary>
    private static readonly User ExampleUser = new(
        UsernameKey.From(VersioningLesson.Entry.ExampleOf("user")), VersioningLesson.Entry.ExampleOf("user"), DateTimeOffset.UnixEpoch)
    {
        Version = User.FirstVersion + 1,
    };

    private static RouteHandlerBuilder WithUpdateProfileExamples(this RouteHandlerBuilder builder) =>
        builder
            .WithRequestExample(new UpdateProfileRequest("Edited by A", "Learns HTTP one status code at a time.", 1))
            .WithProblemExample(UserProblems.VersionMismatch(ExampleUser, expectedVersion: 1), $"/users/{ExampleUser.Username}/profile")
            .WithProblemExample(
                UserProblems.PreconditionFailed(ExampleUser, "If-Match \"1\" does not match the current ETag \"2\"."),
                $"/users/{ExampleUser.Username}/profile");
}
