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

    /// <summary>
    /// The rules, stated once: the request schema, POST /register's description and the users' walk-through
    /// (Users/README.md) quote it; RuleTextTests holds the copies together.
    /// </summary>
    public const string Description =
        "3 to 32 characters after Unicode compatibility normalisation; letters, digits, '_', '-' and '.' only, with " +
        "at least one letter or digit; Latin, Greek and Cyrillic letters not mixed in one name; no invisible " +
        "characters. Compared case- and width-insensitively, so John_Doe and the full-width ｊｏｈｎ＿ｄｏｅ are both " +
        "john_doe; a name that only looks like an existing one (equal UTS #39 confusable skeletons) is a 409.";

    public static string? FindViolation(string username)
    {
        var key = UsernameKey.From(username).Value;
        var length = 0;
        var hasLetterOrDigit = false;
        var scripts = ConfusableScript.None;
        foreach (var rune in key.EnumerateRunes())
        {
            if (UnicodeProperties.IsDefaultIgnorable(rune))
            {
                // U+3164 HANGUL FILLER is a letter to .NET, yet renders as nothing: "john_doe\u3164" looks like john_doe.
                return $"The username may not contain invisible characters (U+{rune.Value:X4}).";
            }

            if (Rune.IsLetter(rune) || Rune.IsDigit(rune))
            {
                hasLetterOrDigit = true;
                scripts |= ScriptOf(rune);
            }
            else if (rune.Value is not ('_' or '-' or '.'))
            {
                return "The username may contain only letters, digits, '_', '-' and '.'.";
            }

            length++;
        }

        if (length is < MinLength or > MaxLength)
        {
            return $"The username must be {MinLength} to {MaxLength} characters long.";
        }

        if (!hasLetterOrDigit)
        {
            // "..." would also be a dot-segment in /users/{username}.
            return "The username must contain a letter or a digit.";
        }

        // A Cyrillic 'о' in "jоhn_doe" looks exactly like the Latin one (UTS #39 mixed-script confusables).
        return (scripts & (scripts - 1)) != 0
            ? "The username may not mix Latin, Greek and Cyrillic letters."
            : null;
    }

    [Flags]
    private enum ConfusableScript
    {
        None = 0,
        Latin = 1,
        Greek = 2,
        Cyrillic = 4,
    }

    private static ConfusableScript ScriptOf(Rune rune) => rune.Value switch
    {
        (>= 'a' and <= 'z') or (>= 0x00C0 and <= 0x024F) or (>= 0x1E00 and <= 0x1EFF) => ConfusableScript.Latin,
        (>= 0x0370 and <= 0x03FF) or (>= 0x1F00 and <= 0x1FFF) => ConfusableScript.Greek,
        (>= 0x0400 and <= 0x052F) or (>= 0x1C80 and <= 0x1C8F) or (>= 0x2DE0 and <= 0x2DFF) or (>= 0xA640 and <= 0xA69F) => ConfusableScript.Cyrillic,
        _ => ConfusableScript.None,
    };
}

/// <summary>
/// Applies <see cref="UsernameRules"/> through the built-in validation pipeline, to one username or to each
/// of a list of them.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ValidUsernameAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        var violation = value switch
        {
            // Null and blank are [Required]'s to report; reporting them twice would only add noise.
            string username when string.IsNullOrWhiteSpace(username) => null,
            string username => UsernameRules.FindViolation(username),
            IEnumerable<string?> usernames => usernames
                .Select(username => username is null ? "A username in the list is null." : UsernameRules.FindViolation(username))
                .FirstOrDefault(found => found is not null),
            _ => null,
        };
        return violation is null ? ValidationResult.Success : new ValidationResult(violation);
    }
}
