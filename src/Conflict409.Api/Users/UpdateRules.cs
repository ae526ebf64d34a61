namespace Conflict409.Api.Users;

/// <summary>
/// When an update answers 409, 412 or 428, stated once: lesson 1, the profile update's description in the OpenAPI
/// document and the README quote this text (a test holds the copies together).
/// </summary>
public static class UpdateRules
{
    public const string Preconditions =
        "An update must say which version it edits. With If-Match and the ETag from GET (HTTP's way), a stale ETag " +
        "is 412 Precondition Failed; with \"version\" in the body (Kubernetes' resourceVersion and CouchDB's _rev " +
        "way), a stale version is 409 Conflict; with neither, 428 Precondition Required, so a lost update is " +
        "refused rather than allowed.";
}
