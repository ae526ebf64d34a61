namespace Conflict409.Api.Users;

/// <summary>A registered account. <see cref="Username"/> keeps the spelling the user typed.</summary>
public sealed record User(UsernameKey Key, string Username, DateTimeOffset RegisteredAt);
