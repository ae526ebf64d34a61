using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;

namespace Conflict409.Api.Users;

/// <summary>
/// Profile text is shown to other learners, in terminals and logs as well as browsers, so it is refused (400),
/// never silently altered, when it carries characters that change how the text around it is shown: control
/// characters (a terminal escape, a carriage return that overprints a line) and bidi controls (U+202E turns
/// "evil.exe" into what looks like another name). A bio may break lines with \n; a display name is one line.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ProfileTextAttribute(bool allowLineBreaks) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string text && FindViolation(text, allowLineBreaks) is { } violation
            ? new ValidationResult(violation)
            : ValidationResult.Success;

    public static string? FindViolation(string text, bool allowLineBreaks)
    {
        foreach (var rune in text.EnumerateRunes())
        {
            if (Rune.GetUnicodeCategory(rune) == UnicodeCategory.Control && !(allowLineBreaks && rune.Value == '\n'))
            {
                return $"Control characters are not allowed (U+{rune.Value:X4}){(allowLineBreaks ? "; break lines with \\n only" : "")}.";
            }

            if (UnicodeProperties.IsBidiControl(rune))
            {
                return $"Bidirectional control characters are not allowed (U+{rune.Value:X4}): they reorder how the text around them is shown.";
            }
        }

        return null;
    }
}
