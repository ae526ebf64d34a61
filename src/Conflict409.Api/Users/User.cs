namespace Conflict409.Api.Users;

/// <summary>
/// A registered account. <see cref="Username"/> keeps the spelling the user typed; <see cref="Version"/>
/// starts at 1 and grows by one with every profile change, the way Kubernetes' resourceVersion or
/// CouchDB's _rev identify the state a client last saw.
/// </summary>
public sealed record User(UsernameKey Key, string Username, DateTimeOffset RegisteredAt)
{
    public const long FirstVersion = 1;

    public UserProfile Profile { get; init; } = UserProfile.Empty;

    public long Version { get; init; } = FirstVersion;

    /// <summary>A strong entity tag (RFC 9110 §8.8.3) for this version of the user.</summary>
    public string ETag => VersionETag(Version);

    public static string VersionETag(long version) => $"\"{version}\"";

    /// <summary>Where a user is found: GET /users/{username}.</summary>
    public static string PathOf(string username) => $"/users/{Uri.EscapeDataString(username)}";
}

public sealed record UserProfile(string? DisplayName, string? Bio)
{
    public static readonly UserProfile Empty = new(null, null);
}
