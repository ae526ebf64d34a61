using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;

namespace Conflict409.Api.Users;

/// <summary>Lesson 1 as its folder declares it: the catalogue entry, how it is graded, its endpoints.</summary>
public sealed class VersioningLesson : ILessonModule
{
    public static readonly Lesson Entry = new(
        "versioning",
        "Lesson 1: version mismatch and concurrent updates",
        "Concurrent updates / version mismatch (optimistic concurrency).",
        "Every user has a profile and a version that starts at 1; GET /users/{username} returns it with a strong " +
        "ETag. PUT /users/{username}/profile edits it. " + UpdateRules.Preconditions + " An unknown user is 404 " +
        "before any precondition is judged (RFC 9110 §13.2.1). " + UpdateRules.CreateOnly + " The update is a compare-and-swap: of N concurrent updates " +
        "from one version exactly one wins. A scraper that cached an ETag or version and replays it after the " +
        "page changed gets 412 or 409; lesson 7 shows the same with a session that went stale.",
        [
            "POST /register {\"username\":\"{user}\"} → 201 (your own user for this lesson)",
            "GET /users/{user} → 200, ETag: \"1\"",
            "PUT /users/{user}/profile If-Match: \"1\" {\"displayName\":\"Edited by B\"} → 200, ETag: \"2\" (another client's edit)",
            "PUT /users/{user}/profile If-Match: \"1\" {\"displayName\":\"Edited by A\"} → 412 precondition-failed",
            "PUT /users/{user}/profile {\"displayName\":\"Edited by A\",\"version\":1} → 409 version-mismatch",
            "PUT /users/{user}/profile {\"displayName\":\"Edited by A\"} → 428 precondition-required",
            "GET /users/{user} → 200, ETag: \"2\" (re-read: B's edit is there)",
            "PUT /users/{user}/profile If-Match: \"2\" {\"displayName\":\"Edited by A\"} → 200, ETag: \"3\" (recovered)",
            "PUT /users/jane_smith If-None-Match: * → 412 precondition-failed",
        ],
        "Re-read the resource (GET), re-apply your change to the fresh copy, and retry with the new ETag or " +
        "version. Never retry the stale request unchanged.",
        [UserProblemTypes.VersionMismatch.Uri, UserProblemTypes.PreconditionFailed.Uri, UserProblemTypes.PreconditionRequired.Uri],
        "RFC 9110 §13 (conditional requests, ETag, If-Match, If-None-Match), RFC 6585 §3 (428), " +
        "Kubernetes resourceVersion, CouchDB _rev.",
        [nameof(UserEndpoints.GetUser), nameof(ProfileEndpoints.UpdateProfile), nameof(RegistrationEndpoints.CreateUserIfAbsent)],
        new Dictionary<string, string> { ["user"] = "editor_" },
        Recipe.For("Users", "lesson1"));

    public Lesson Lesson => Entry;

    public IReadOnlyList<ProblemType> DefinedProblemTypes { get; } =
    [
        UserProblemTypes.UserNotFound,
        UserProblemTypes.VersionMismatch,
        UserProblemTypes.PreconditionFailed,
        UserProblemTypes.PreconditionRequired,
        UserProblemTypes.InvalidIfMatch,
    ];

    public ILessonJudge? Judge { get; } = new VersioningJudge();

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapProfileEndpoints();
    }
}
