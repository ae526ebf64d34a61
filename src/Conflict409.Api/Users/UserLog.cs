namespace Conflict409.Api.Users;

/// <summary>The log category of user registrations, and its messages.</summary>
public sealed partial class UserLog
{
    private UserLog()
    {
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered user {Username}")]
    public static partial void Registered(ILogger logger, string username);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused registration of {Username}: it collides with existing user {ExistingUsername}")]
    public static partial void RegistrationConflict(ILogger logger, string username, string existingUsername);
}
