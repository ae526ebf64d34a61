using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace Conflict409.Api.Users;

public sealed record RegisterRequest(
    [property: Description(UsernameRules.Description)]
    [Required(ErrorMessage = "A username is required.")]
    [ValidUsername]
    string Username);

public sealed record RegistrationResponse(string Message, string Username)
{
    public const string SuccessMessage = "User registered successfully.";
}

public sealed record UserResponse(string Username, DateTimeOffset RegisteredAt, string? DisplayName, string? Bio, long Version)
{
    public static UserResponse From(User user) =>
        new(user.Username, user.RegisteredAt, user.Profile.DisplayName, user.Profile.Bio, user.Version);
}

/// <param name="DisplayName">The name shown to others: one line, no control or bidi-control characters.</param>
/// <param name="Bio">A short self-description: line breaks allowed, no other control or bidi-control characters.</param>
/// <param name="Version">
/// The version this edit is based on, when not sent as If-Match. A stale version is a 409 Conflict.
/// </param>
public sealed record UpdateProfileRequest(
    [property: StringLength(64)] [property: ProfileText(allowLineBreaks: false)] string? DisplayName,
    [property: StringLength(280)] [property: ProfileText(allowLineBreaks: true)] string? Bio,
    [property: Range(1, long.MaxValue)] long? Version);

/// <param name="Items">This page of users, in username order.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to get the next page; null on the last page.</param>
/// <param name="Total">How many users the server holds in all.</param>
public sealed record UserPage(IReadOnlyList<UserResponse> Items, string? NextCursor, int Total)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 100;
}
