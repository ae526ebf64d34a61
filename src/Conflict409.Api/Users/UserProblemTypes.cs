using Conflict409.Api.Problems;

namespace Conflict409.Api.Users;

/// <summary>
/// The problem types of lessons 0 and 1 (duplicate registration, versioning), which only this folder's endpoints send. The lesson's module declares them
/// (<see cref="Lessons.ILessonModule.DefinedProblemTypes"/>), which is how they are listed at <c>GET /problems</c>.
/// </summary>
public static class UserProblemTypes
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

    public static readonly ProblemType UsernameLookAlike = new(
        "username-look-alike",
        StatusCodes.Status409Conflict,
        "Username looks like an existing one.",
        "The username is new, but it looks the same as an existing account's: their confusable skeletons (Unicode " +
        "UTS #39, from Unicode's confusables.txt) are equal, as for the Cyrillic 'ѕсоре' beside 'scope' or " +
        "'jane_smıth' (dotless ı) beside 'jane_smith'. Accepting it would let one user impersonate another, so the " +
        "request conflicts with the current state of the server: 409, naming the look-alike in existingUsername. " +
        "Retrying cannot succeed; choose a name that looks different.");

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

    public static readonly ProblemType InvalidIfMatch = new(
        "invalid-if-match",
        StatusCodes.Status400BadRequest,
        "The If-Match header is malformed.",
        "If-Match (RFC 9110 §13.1.1) is either * or a comma-separated list of quoted entity tags, such as " +
        "If-Match: \"2\" with the quotes, exactly as GET returned it in ETag. The header could not be read, so no " +
        "precondition was judged and nothing changed. Send the ETag unaltered, or the version in the body instead.");
}
