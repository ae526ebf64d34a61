using System.Text;

namespace Conflict409.Api.Users;

/// <summary>
/// The identity of a username: what two spellings must share to be "the same account".
/// Modelled on PRECIS UsernameCaseMapped (RFC 8265): compatibility normalisation folds full-width and
/// other look-alike forms, lower-casing folds case, so <c>John_Doe</c> and <c>ｊｏｈｎ＿ｄｏｅ</c> both
/// become <c>john_doe</c>.
/// </summary>
public readonly record struct UsernameKey
{
    private UsernameKey(string value) => Value = value;

    public string Value { get; }

    public static UsernameKey From(string username)
    {
        // Lower-casing can produce characters that are not in NFKC form, hence normalise on both sides.
        var folded = username.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        return new UsernameKey(folded.Normalize(NormalizationForm.FormKC));
    }

    public override string ToString() => Value;
}
