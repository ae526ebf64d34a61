using Microsoft.Extensions.Primitives;

namespace Conflict409.Api.Idempotency;

/// <summary>
/// Reads the Idempotency-Key header. The IETF draft makes it an RFC 8941 sf-string, so the canonical form is
/// quoted (<c>"8e03978e"</c>, with <c>\"</c> and <c>\\</c> escapes). Many clients send a bare token instead;
/// that is accepted too, and names the same key as its quoted form.
/// </summary>
public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";
    public const int MaxLength = 255;

    public static bool TryParse(StringValues header, out string key)
    {
        key = "";
        if (header.Count != 1 || header[0] is not { Length: > 0 } raw)
        {
            return false;
        }

        var parsed = raw[0] == '"' ? Unquote(raw) : IsToken(raw) ? raw : null;
        if (parsed is not { Length: > 0 and <= MaxLength })
        {
            return false;
        }

        key = parsed;
        return true;
    }

    private static string? Unquote(string raw)
    {
        if (raw.Length < 2 || raw[^1] != '"')
        {
            return null;
        }

        var builder = new System.Text.StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c == '\\')
            {
                // RFC 8941 §3.3.3: only \" and \\ are escapes.
                if (++i == raw.Length - 1 || raw[i] is not ('"' or '\\'))
                {
                    return null;
                }

                c = raw[i];
            }
            else if (c is '"' or < ' ' or > '~')
            {
                return null;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    private static bool IsToken(string raw) =>
        raw.All(c => c is > ' ' and <= '~' and not ('"' or '\\' or ',' or ';'));
}
