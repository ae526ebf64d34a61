namespace Conflict409.Api.Users;

public sealed class UserStoreOptions
{
    public const string SectionName = "Users";

    /// <summary>Usernames registered when the server starts.</summary>
    public IList<string> Seed { get; } = [];
}
