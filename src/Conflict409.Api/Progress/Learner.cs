using System.Buffers;
using System.Net;
using Conflict409.Api.Clients;
using Microsoft.Extensions.Primitives;

namespace Conflict409.Api.Progress;

/// <summary>
/// Whose progress a request counts towards: the name in the optional <see cref="HeaderName"/> header, otherwise
/// the client's address as <see cref="ClientAddress"/> groups it. No account and nothing personal: a name is
/// whatever the learner chose to send, bounded and of safe characters, so it can be shown and kept as it is.
/// </summary>
/// <param name="Id">The name, or the client's address when no name was sent.</param>
/// <param name="IsNamed">Whether the learner named itself in the header.</param>
public readonly record struct Learner(string Id, bool IsNamed)
{
    public const string HeaderName = "Learner";

    /// <summary>
    /// Sent when a request's Learner header could not be used for a board: its value is the slug of the problem type
    /// (/problems/{slug}) that says why. The request itself was served and graded under the client's address.
    /// </summary>
    public const string IgnoredHeaderName = "Learner-Ignored";
    public const int MaxNameLength = 64;
    public const string NameRule = "1 to 64 characters: a letter, then letters, digits, '.', '_' or '-'.";

    /// <summary>Why a Learner header was refused; the value itself is never echoed (it may be huge or hold control characters).</summary>
    public const string InvalidHeaderDetail =
        $"The {HeaderName} header must be one name of {NameRule} Leave it out to be known by your address.";

    // A letter first keeps names apart from addresses (which start with a digit or contain ':').
    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    public static bool IsValidName(ReadOnlySpan<char> name) =>
        name.Length is > 0 and <= MaxNameLength
        && char.IsAsciiLetter(name[0])
        && !name.ContainsAnyExcept(NameCharacters);

    /// <summary>The learner a request speaks for; false when the header is there but not a valid name.</summary>
    public static bool TryFrom(StringValues header, IPAddress? address, out Learner learner)
    {
        learner = default;
        if (header.Count == 0)
        {
            learner = new Learner(ClientAddress.Partition(address), IsNamed: false);
            return true;
        }

        if (header.Count != 1 || !IsValidName(header[0]))
        {
            return false;
        }

        learner = new Learner(header[0]!, IsNamed: true);
        return true;
    }

    public static bool TryFrom(HttpContext context, out Learner learner) =>
        TryFrom(context.Request.Headers[HeaderName], context.Connection.RemoteIpAddress, out learner);

    /// <summary>
    /// A learner named in a query, to look at another board: a valid name, or an address as
    /// <see cref="ClientAddress"/> writes it (so a board of a client that sent no name can be found too).
    /// </summary>
    public static bool TryParse(string? value, out Learner learner)
    {
        learner = default;
        if (value is null || value.Length > MaxNameLength)
        {
            return false;
        }

        if (IsValidName(value))
        {
            learner = new Learner(value, IsNamed: true);
            return true;
        }

        var address = value.EndsWith("/64", StringComparison.Ordinal) ? value[..^3] : value;
        if (IPAddress.TryParse(address, out var parsed) && ClientAddress.Partition(parsed) == value)
        {
            learner = new Learner(value, IsNamed: false);
            return true;
        }

        return false;
    }
}

/// <summary>
/// Set on a request whose Learner header the board could not use; the board's own endpoints answer
/// <paramref name="Reason"/> for it, every other endpoint serves the request as the address's.
/// </summary>
/// <param name="Name">The name, when it was a valid one (so it can be shown); never a malformed value.</param>
public sealed record IgnoredLearnerFeature(Problems.ProblemType Reason, string? Name);
