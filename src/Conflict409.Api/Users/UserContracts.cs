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

public sealed record UserResponse(string Username, DateTimeOffset RegisteredAt)
{
    public static UserResponse From(User user) => new(user.Username, user.RegisteredAt);
}
