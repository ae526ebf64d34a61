namespace Conflict409.Api.Users;

/// <summary>
/// When an update or a create-only PUT answers 409, 412 or 428, stated once: lesson 1, the endpoints' descriptions
/// in the OpenAPI document and the users' walk-through (Users/README.md) quote these texts (RuleTextTests holds the
/// copies together).
/// </summary>
public static class UpdateRules
{
    public const string Preconditions =
        "An update must say which version it edits. With If-Match and the ETag from GET (HTTP's way), a stale ETag " +
        "is 412 Precondition Failed; with \"version\" in the body (Kubernetes' resourceVersion and CouchDB's _rev " +
        "way), a stale version is 409 Conflict; with neither, 428 Precondition Required, so a lost update is " +
        "refused rather than allowed.";

    public const string CreateOnly =
        "PUT /users/{username} with If-None-Match: * only creates: 201 when the name is new, 412 Precondition Failed " +
        "when it exists (the duplicate-registration conflict of POST /register, expressed as a failed precondition, " +
        "as RFC 9110 prescribes; CouchDB answers 409 here), 409 username-look-alike for a name that only looks like " +
        "an existing one, and 428 Precondition Required without If-None-Match: *, since it never replaces a user.";
}
