namespace Conflict409.Api.Users;

/// <summary>
/// A registered account. <see cref="Username"/> keeps the spelling the user typed; <see cref="Version"/>
/// starts at 1 and grows by one with every profile change, the way Kubernetes' resourceVersion or
/// CouchDB's _rev identify the state a client last saw.
/// </summary>
/// <remarks>
/// The in-memory store holds a million of these, so a user is three fields (40 bytes): its key, its registration time
/// in UTC ticks, and the rest only where it is not the common case. Most users are never edited and typed their key
/// as it is (<c>new_user_42</c>), so for them the key is the username (one string) and the rest is null.
/// </remarks>
public sealed record User
{
    public const long FirstVersion = 1;

    private readonly UsernameKey _key;
    private readonly long _registeredUtcTicks;
    private readonly Rest? _rest;

    public User(UsernameKey key, string username, DateTimeOffset registeredAt)
    {
        _key = key;
        _registeredUtcTicks = registeredAt.UtcTicks;
        _rest = Compact(key, username, UserProfile.Empty, FirstVersion);
    }

    public UsernameKey Key => _key;

    public string Username => _rest?.Username ?? _key.Value;

    /// <summary>In UTC, as the store's clock gives it.</summary>
    public DateTimeOffset RegisteredAt => new(_registeredUtcTicks, TimeSpan.Zero);

    public UserProfile Profile
    {
        get => _rest?.Profile ?? UserProfile.Empty;
        init => _rest = Compact(_key, Username, value, Version);
    }

    public long Version
    {
        get => _rest?.Version ?? FirstVersion;
        init => _rest = Compact(_key, Username, Profile, value);
    }

    /// <summary>A strong entity tag (RFC 9110 §8.8.3) for this version of the user.</summary>
    public string ETag => VersionETag(Version);

    public static string VersionETag(long version) => $"\"{version}\"";

    /// <summary>Where a user is found: GET /users/{username}.</summary>
    public static string PathOf(string username) => $"/users/{Uri.EscapeDataString(username)}";

    /// <summary>The common case: the username is the key, never edited. A store may keep such a user as key and time alone.</summary>
    internal bool IsPlain => _rest is null;

    internal long RegisteredUtcTicks => _registeredUtcTicks;

    /// <summary>The plain user (<see cref="IsPlain"/>) with this key, registered at these UTC ticks.</summary>
    internal static User Plain(UsernameKey key, long registeredUtcTicks) =>
        new(key, key.Value, new DateTimeOffset(registeredUtcTicks, TimeSpan.Zero));

    /// <summary>Null, the common case, when the username is its key, the profile empty and the version the first.</summary>
    private static Rest? Compact(UsernameKey key, string username, UserProfile profile, long version) =>
        string.Equals(username, key.Value, StringComparison.Ordinal)
            ? profile == UserProfile.Empty && version == FirstVersion ? null : new Rest(key.Value, profile, version)
            : new Rest(username, profile, version);

    private sealed record Rest(string Username, UserProfile Profile, long Version);
}

public sealed record UserProfile(string? DisplayName, string? Bio)
{
    public static readonly UserProfile Empty = new(null, null);
}
