using Conflict409.Api.Users;
using Microsoft.Net.Http.Headers;

namespace Conflict409.Api.Tests.Users;

/// <summary>Which stored versions an If-Match list allows, under strong comparison with <see cref="User.ETag"/>.</summary>
public sealed class VersionPreconditionTests
{
    [Theory]
    [InlineData("*", new long[] { 1, 2, 99 }, new long[0])]
    [InlineData("\"1\"", new long[] { 1 }, new long[] { 2, 10 })]
    [InlineData("\"7\", \"1\"", new long[] { 1, 7 }, new long[] { 2 })]
    [InlineData("W/\"1\"", new long[0], new long[] { 1 })]
    [InlineData("\"01\"", new long[0], new long[] { 1 })]
    [InlineData("\"+1\"", new long[0], new long[] { 1 })]
    [InlineData("\"abc\"", new long[0], new long[] { 0, 1 })]
    [InlineData("\"99999999999999999999\"", new long[0], new long[] { long.MaxValue })]
    public void An_if_match_list_allows_exactly_the_versions_whose_etag_it_names(string ifMatch, long[] allowed, long[] refused)
    {
        EntityTagHeaderValue.TryParseStrictList([ifMatch], out var tags).Should().BeTrue();

        var precondition = VersionPrecondition.FromIfMatch(tags!);

        allowed.Where(version => !precondition.Allows(version)).Should().BeEmpty("these versions' ETags are named");
        refused.Where(precondition.Allows).Should().BeEmpty("no strong ETag in the list names these versions");
    }

    [Fact]
    public void A_body_version_allows_that_version_only()
    {
        var precondition = VersionPrecondition.Exactly(3);

        precondition.Allows(3).Should().BeTrue();
        precondition.Allows(2).Should().BeFalse();
        precondition.Allows(4).Should().BeFalse();
    }
}
