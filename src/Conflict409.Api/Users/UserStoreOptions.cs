using System.ComponentModel.DataAnnotations;

namespace Conflict409.Api.Users;

public sealed class UserStoreOptions : IValidatableObject
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

    /// <summary>A seeded name obeys the rules a registered one does, and the seeds fit in the capacity.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var users = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Seed.Count; i++)
        {
            // The name itself is not echoed: the rules say what is wrong with it.
            if (UsernameRules.FindViolation(Seed[i]) is { } violation)
            {
                yield return new ValidationResult($"Users:Seed:{i} is not a valid username: {violation}");
            }
            else
            {
                // Names that compare equal (John_Doe, john_doe) or look alike are one user.
                users.Add(UsernameSkeleton.Of(UsernameKey.From(Seed[i])));
            }
        }

        if (users.Count > Capacity)
        {
            yield return new ValidationResult($"Users:Seed names {users.Count} users, more than Users:Capacity ({Capacity}).");
        }
    }
}
