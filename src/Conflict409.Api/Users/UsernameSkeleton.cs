using System.Buffers;
using System.Collections.Frozen;
using System.Text;
using System.Text.Json;

namespace Conflict409.Api.Users;

/// <summary>
/// The confusable skeleton of UTS #39 §4: two usernames whose skeletons are equal look alike (<c>scope</c> and the
/// Cyrillic <c>ѕсоре</c>, <c>jane_smith</c> and <c>jane_smıth</c>), so the second is refused as a conflict with
/// the first. skeleton(X) = NFD(X), each character replaced by its prototype from Unicode's confusables.txt,
/// then NFD again. It is taken of the <see cref="UsernameKey"/>, which is already case-folded (UTS #39 compares
/// case-insensitive identifiers that way). The data is Unicode's own file, vendored in <c>Users/Unicode/</c>.
/// </summary>
public static class UsernameSkeleton
{
    private static readonly FrozenDictionary<int, string> Prototypes = LoadPrototypes();

    /// <summary>The ASCII characters that confusables.txt leaves as they are; a name of only these is its own skeleton.</summary>
    private static readonly SearchValues<char> PlainAscii = SearchValues.Create(
        [.. Enumerable.Range(0, 128).Select(c => (char)c).Where(c => !Prototypes.ContainsKey(c))]);

    /// <summary>Each ASCII character's prototype (itself when unmapped); all are already in NFD.</summary>
    private static readonly string[] AsciiPrototypes =
        [.. Enumerable.Range(0, 128).Select(c => Prototypes.GetValueOrDefault(c) ?? ((char)c).ToString())];

    private static readonly int LongestAsciiPrototype = AsciiPrototypes.Max(prototype => prototype.Length);

    /// <summary>The longest key whose skeleton is built on the stack.</summary>
    private const int StackLimit = 64;

    public static string Of(UsernameKey key) => Of(key.Value);

    public static string Of(string value)
    {
        if (value.AsSpan().IndexOfAnyExcept(PlainAscii) < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        Span<char> utf16 = stackalloc char[2];
        foreach (var rune in value.Normalize(NormalizationForm.FormD).EnumerateRunes())
        {
            if (Prototypes.TryGetValue(rune.Value, out var prototype))
            {
                builder.Append(prototype);
            }
            else
            {
                builder.Append(utf16[..rune.EncodeToUtf16(utf16)]);
            }
        }

        return builder.ToString().Normalize(NormalizationForm.FormD);
    }

    /// <summary>
    /// The hash of <see cref="Of(UsernameKey)"/>, without building a string for the common case (a short ASCII key):
    /// the store looks every registration up by skeleton, and that must stay as cheap as a plain lookup.
    /// </summary>
    public static int HashOf(UsernameKey key)
    {
        var value = key.Value;
        if (value.Length > StackLimit || !Ascii.IsValid(value))
        {
            return string.GetHashCode(Of(value).AsSpan());
        }

        Span<char> skeleton = stackalloc char[StackLimit * LongestAsciiPrototype];
        var length = 0;
        foreach (var c in value)
        {
            var prototype = AsciiPrototypes[c];
            prototype.CopyTo(skeleton[length..]);
            length += prototype.Length;
        }

        return string.GetHashCode(skeleton[..length]);
    }

    private static FrozenDictionary<int, string> LoadPrototypes()
    {
        using var stream = typeof(UsernameSkeleton).Assembly.GetManifestResourceStream("Conflict409.Api.Users.Unicode.confusables.json")
            ?? throw new InvalidOperationException("The confusables data (Users/Unicode/confusables.json) is not embedded.");
        var map = JsonSerializer.Deserialize<Dictionary<string, string>>(stream)!;
        var prototypes = map.ToFrozenDictionary(pair => char.ConvertToUtf32(pair.Key, 0), pair => pair.Value.Normalize(NormalizationForm.FormD));
        return prototypes;
    }
}

/// <summary>
/// Compares usernames by what they look like: two keys are equal when their <see cref="UsernameSkeleton"/>s are.
/// A store keyed with this comparer holds at most one user per look, so one lookup answers both "is this name
/// taken" and "does an existing name look like it", at no extra memory per user.
/// </summary>
public sealed class LookAlikeComparer : IEqualityComparer<UsernameKey>
{
    public static LookAlikeComparer Instance { get; } = new();

    public bool Equals(UsernameKey x, UsernameKey y) =>
        string.Equals(x.Value, y.Value, StringComparison.Ordinal)
        || string.Equals(UsernameSkeleton.Of(x), UsernameSkeleton.Of(y), StringComparison.Ordinal);

    public int GetHashCode(UsernameKey key) => UsernameSkeleton.HashOf(key);
}
