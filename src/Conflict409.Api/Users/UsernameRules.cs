using System.ComponentModel.DataAnnotations;
using System.Text;

namespace Conflict409.Api.Users;

/// <summary>
/// What a username may look like, judged on its normalised form so that a full-width spelling cannot
/// slip past the length limit or the character set.
/// </summary>
public static class UsernameRules
{
    public const int MinLength = 3;
    public const int MaxLength = 32;

    public const string Description =
        "3 to 32 characters after Unicode normalisation; letters, digits, '_', '-' and '.' only. " +
        "Compared case-insensitively and width-insensitively.";

    public static string? FindViolation(string username)
    {
        var key = UsernameKey.From(username).Value;
        var length = 0;
        foreach (var rune in key.EnumerateRunes())
        {
            if (!IsAllowed(rune))
            {
                return "The username may contain only letters, digits, '_', '-' and '.'.";
            }
            length++;
        }

        return length is < MinLength or > MaxLength
            ? $"The username must be {MinLength} to {MaxLength} characters long."
            : null;
    }

    private static bool IsAllowed(Rune rune) =>
        Rune.IsLetter(rune) || Rune.IsDigit(rune) || rune.Value is '_' or '-' or '.';
}

/// <summary>Applies <see cref="UsernameRules"/> through the built-in validation pipeline.</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ValidUsernameAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        // Null and blank are [Required]'s to report; reporting them twice would only add noise.
        if (value is not string username || string.IsNullOrWhiteSpace(username))
        {
            return ValidationResult.Success;
        }

        var violation = UsernameRules.FindViolation(username);
        return violation is null ? ValidationResult.Success : new ValidationResult(violation);
    }
}
