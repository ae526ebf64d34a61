using System.Text.Json;
using System.Text.Json.Serialization;

namespace Conflict409.Client;

/// <summary>An RFC 9457 problem as the client reads it: the standard members typed, the rest kept.</summary>
public sealed record Problem
{
    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public string? Instance { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement> Extensions { get; init; } = [];

    public string? Extension(string name) =>
        Extensions.TryGetValue(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText() : null;
}

/// <summary>The problem types the server documents at /problems; a client branches on these, never on text.</summary>
public static class ProblemTypes
{
    public const string UsernameTaken = "/problems/username-taken";
    public const string VersionMismatch = "/problems/version-mismatch";
    public const string PreconditionFailed = "/problems/precondition-failed";
    public const string UserReferenced = "/problems/user-referenced";
    public const string IdempotencyKeyInUse = "/problems/idempotency-key-in-use";
    public const string IdempotencyKeyReused = "/problems/idempotency-key-reused";
    public const string BlockedByRateLimit = "/problems/blocked-by-rate-limit";
    public const string TooManyRequests = "/problems/too-many-requests";
    public const string StaleSession = "/problems/stale-session";
    public const string SessionRequired = "/problems/session-required";
    public const string FormTokenInvalid = "/problems/form-token-invalid";
}
