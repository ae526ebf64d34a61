using System.Globalization;
using Microsoft.Net.Http.Headers;

namespace Conflict409.Api.Users;

/// <summary>
/// Which stored versions an update may replace: any (<c>If-Match: *</c>), or one of a list (the versions an
/// <c>If-Match</c> list names, or the body's <c>version</c>). The store tests it in the same step as the write, so
/// the check and the update cannot be told apart by a racing request.
/// </summary>
public readonly record struct VersionPrecondition
{
    private VersionPrecondition(long[]? oneOf) => OneOf = oneOf;

    /// <summary>The versions allowed; null when any version is.</summary>
    public long[]? OneOf { get; }

    public static VersionPrecondition Any { get; } = new(null);

    public static VersionPrecondition Exactly(long version) => new([version]);

    /// <summary>
    /// The versions a parsed If-Match list names under strong comparison (RFC 9110 §13.1.1): a weak tag, or one
    /// that is not a version's <see cref="User.ETag"/>, matches no version.
    /// </summary>
    public static VersionPrecondition FromIfMatch(IEnumerable<EntityTagHeaderValue> tags)
    {
        var versions = new List<long>();
        foreach (var tag in tags)
        {
            if (tag.Equals(EntityTagHeaderValue.Any))
            {
                return Any;
            }

            var quoted = tag.Tag.AsSpan();
            if (!tag.IsWeak && quoted.Length > 2
                && long.TryParse(quoted[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
                && User.VersionETag(version).AsSpan().SequenceEqual(quoted))
            {
                versions.Add(version);
            }
        }

        return new VersionPrecondition([.. versions]);
    }

    public bool Allows(long version) => OneOf is null || OneOf.Contains(version);
}
