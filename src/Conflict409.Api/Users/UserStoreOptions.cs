using System.ComponentModel.DataAnnotations;

namespace Conflict409.Api.Users;

public sealed class UserStoreOptions
{
    public const string SectionName = "Users";

    /// <summary>How many users the store holds at most; registrations beyond it get 507.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Users:Capacity must be from {1} to {2}.")]
    public int Capacity { get; set; } = 100_000;

    /// <summary>How many teams the store holds at most; creations beyond it get 507.</summary>
    [Range(1, 1_000_000, ErrorMessage = "Users:TeamCapacity must be from {1} to {2}.")]
    public int TeamCapacity { get; set; } = 10_000;

    /// <summary>Usernames registered when the server starts.</summary>
    public IList<string> Seed { get; } = [];
}
