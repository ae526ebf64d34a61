using Microsoft.AspNetCore.Http.HttpResults;

namespace Conflict409.Api.Problems;

/// <summary>
/// A problem type of RFC 9457: a stable identifier (<see cref="Uri"/>), a fixed <see cref="Title"/>, and
/// the explanation this server serves at that URI so a learner can follow the link.
/// </summary>
public sealed record ProblemType(string Slug, int Status, string Title, string Explanation)
{
    public string Uri { get; } = $"/problems/{Slug}";

    /// <summary>A problem+json result of this type; the specifics go in the detail and extension members.</summary>
    public ProblemHttpResult Result(string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(statusCode: Status, title: Title, type: Uri, detail: detail, extensions: extensions);
}

public static class ProblemTypes
{
    public static readonly ProblemType UsernameTaken = new(
        "username-taken",
        StatusCodes.Status409Conflict,
        "Username already exists.",
        "POST /register answers 409 Conflict when the username belongs to an existing account. " +
        "Usernames are compared after Unicode compatibility normalisation and case folding, so 'John_Doe' " +
        "and the full-width 'ｊｏｈｎ＿ｄｏｅ' collide with 'john_doe'. The request was well-formed (that would " +
        "be 400) and the server understood it (not 422): it conflicts with the current state of the server. " +
        "Retrying the same request cannot succeed; a client recovers by choosing another username.");

    public static readonly ProblemType UserNotFound = new(
        "user-not-found",
        StatusCodes.Status404NotFound,
        "User not found.",
        "No account has this username (after the same normalisation /register uses). " +
        "Register it with POST /register, or check the spelling with GET /users.");

    public static readonly ProblemType VersionMismatch = new(
        "version-mismatch",
        StatusCodes.Status409Conflict,
        "The resource changed since you read it.",
        "The body said which version it was based on, and that version is no longer current: someone else " +
        "updated the resource in between (a concurrent update). Applying your change would silently undo " +
        "theirs — a lost update — so the server refuses with 409, as Kubernetes does for a stale " +
        "metadata.resourceVersion and CouchDB for a stale _rev. Recover by GETting the resource again, " +
        "re-applying your change to the fresh copy, and sending it with the new version (currentVersion).");

    public static readonly ProblemType PreconditionFailed = new(
        "precondition-failed",
        StatusCodes.Status412PreconditionFailed,
        "A precondition in the request headers did not hold.",
        "A conditional request (RFC 9110 §13) failed: If-Match named an entity tag that is no longer current, or " +
        "If-None-Match: * asked to create something that already exists. It is the same conflict as a 409, " +
        "expressed through HTTP's own precondition headers, which is why RFC 9110 answers 412 here " +
        "(CouchDB answers 409 for the same situation). Recover by GETting the resource for its current ETag, " +
        "re-applying your change, and retrying with If-Match set to that ETag.");

    public static readonly ProblemType PreconditionRequired = new(
        "precondition-required",
        StatusCodes.Status428PreconditionRequired,
        "This request must be conditional.",
        "The server refuses unconditional updates so that no client overwrites a change it never saw " +
        "(RFC 6585 §3). Send If-Match with the ETag from GET, or the version you read in the body; to create " +
        "a user with PUT, send If-None-Match: *.");

    public static readonly ProblemType UserReferenced = new(
        "user-referenced",
        StatusCodes.Status409Conflict,
        "The user is still referenced.",
        "Deleting this user would leave teams pointing at an account that no longer exists, so the server " +
        "refuses with 409: the request conflicts with the state of other resources. The problem lists the " +
        "blocking resources (blockedBy); remove the user from them, or delete them, then retry the delete.");

    public static readonly ProblemType TeamNameTaken = new(
        "team-name-taken",
        StatusCodes.Status409Conflict,
        "Team name already exists.",
        "Team names are unique, compared like usernames. Choose another name, or GET the existing team.");

    public static readonly ProblemType UnknownTeamMembers = new(
        "unknown-team-members",
        StatusCodes.Status422UnprocessableEntity,
        "The team names users that do not exist.",
        "The request is well-formed JSON (so not 400) and conflicts with no existing team (so not 409), but " +
        "it refers to users that do not exist, so it cannot be processed: 422 Unprocessable Content. " +
        "Register the users listed in unknownUsers first, or leave them out.");

    public static readonly ProblemType TeamNotFound = new(
        "team-not-found",
        StatusCodes.Status404NotFound,
        "Team not found.",
        "No team has this name. POST /teams creates one.");

    public static readonly ProblemType IdempotencyKeyInUse = new(
        "idempotency-key-in-use",
        StatusCodes.Status409Conflict,
        "A request with this Idempotency-Key is still being processed.",
        "The IETF Idempotency-Key draft answers 409 when a retry arrives while the first request with the same " +
        "key is still in flight: running both could do the work twice. Wait (Retry-After) and retry with the " +
        "same key and payload; once the first request completes, the retry gets its response replayed.");

    public static readonly ProblemType IdempotencyKeyReused = new(
        "idempotency-key-reused",
        StatusCodes.Status422UnprocessableEntity,
        "This Idempotency-Key was used with a different payload.",
        "An Idempotency-Key identifies one operation. Reusing it with another payload is a client bug, which " +
        "the IETF draft answers with 422. Generate a fresh key for every new operation.");

    public static readonly ProblemType InvalidIdempotencyKey = new(
        "invalid-idempotency-key",
        StatusCodes.Status400BadRequest,
        "The Idempotency-Key header is malformed.",
        "Send the key as a structured-field string (RFC 8941), e.g. Idempotency-Key: \"8e03978e-40d5-43e8\". " +
        "A bare token of the same characters is accepted too. 1 to 255 printable ASCII characters.");

    public static readonly ProblemType IdempotencyStoreFull = new(
        "idempotency-store-full",
        StatusCodes.Status503ServiceUnavailable,
        "Too many idempotency keys are held.",
        "The server keeps a bounded number of idempotency keys until they expire. It is full, so it cannot " +
        "promise exactly-once processing right now. Retry after Retry-After seconds.");

    public static readonly ProblemType StoreFull = new(
        "store-full",
        StatusCodes.Status507InsufficientStorage,
        "The server cannot store more of these.",
        "The store holds as many entries as it is configured to (Users:Capacity, Users:TeamCapacity), so " +
        "nothing was written. A teaching server is bounded on purpose: reads keep working, and deleting " +
        "entries makes room. 507 Insufficient Storage (RFC 4918 §11.5) says the request may succeed later.");

    public static readonly ProblemType BlockedByRateLimit = new(
        "blocked-by-rate-limit",
        StatusCodes.Status409Conflict,
        "Request blocked: too many requests from this client.",
        "NON-STANDARD. Some servers answer 409 to GET requests to block clients that request too fast, such as " +
        "scrapers. Nothing conflicts with the resource's state: the correct status is 429 Too Many Requests. " +
        "A scraper tells a blocking 409 from a real conflict by the method (a GET changes nothing, so it " +
        "cannot conflict), the Retry-After header, and this problem type. Slow down and retry after " +
        "Retry-After seconds.");

    public static readonly ProblemType TooManyRequests = new(
        "too-many-requests",
        StatusCodes.Status429TooManyRequests,
        "Too many requests from this client.",
        "The client sent more requests than the rate limit allows (RFC 6585 §4). Retry after Retry-After seconds.");

    public static IReadOnlyList<ProblemType> All { get; } =
    [
        UsernameTaken, UserNotFound, VersionMismatch, PreconditionFailed, PreconditionRequired, UserReferenced,
        TeamNameTaken, UnknownTeamMembers, TeamNotFound, IdempotencyKeyInUse, IdempotencyKeyReused,
        InvalidIdempotencyKey, IdempotencyStoreFull, StoreFull, BlockedByRateLimit, TooManyRequests,
    ];

    public static ProblemType? FindBySlug(string slug) =>
        All.FirstOrDefault(type => string.Equals(type.Slug, slug, StringComparison.OrdinalIgnoreCase));
}
