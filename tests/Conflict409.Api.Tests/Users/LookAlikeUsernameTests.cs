using System.Net;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Users;

/// <summary>Usernames that cannot impersonate: invisible letters refused, look-alikes of existing users a 409.</summary>
public sealed class LookAlikeUsernameTests
{
    [Theory]
    [InlineData("john_doe\u3164", "U+1160")] // Hangul filler: NFKC turns U+3164 into U+1160, just as invisible
    [InlineData("\u3164\u3164\u3164", "U+1160")]
    [InlineData("john\uFFA0doe", "U+1160")] // half-width Hangul filler
    [InlineData("jo\u115Fhn", "U+115F")] // Hangul choseong filler
    public async Task An_invisible_letter_is_a_400_and_nothing_is_registered(string username, string codePoint)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync(username);

        (await response.ShouldBeValidationProblemAsync()).Errors["username"]
            .Should().Equal($"The username may not contain invisible characters ({codePoint}).");
        (await app.Store.CountAsync()).Should().Be(2);
    }

    [Theory]
    [InlineData("j\u0585hn_doe", "john_doe")] // Armenian small letter oh
    [InlineData("jane_sm\u0131th", "jane_smith")] // Latin small letter dotless i
    [InlineData("JANE_SM\u0131TH", "jane_smith")]
    public async Task A_name_that_looks_like_an_existing_user_is_a_409_naming_the_look_alike(string username, string existing)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync(username);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/username-look-alike");
        problem.Title.Should().Be("Username looks like an existing one.");
        problem.Detail.Should().Be($"The username '{username}' looks the same as the existing account '{existing}' (equal " +
            "UTS #39 confusable skeletons), so it could impersonate it. Choose a username that looks different.");
        problem.Instance.Should().Be("/register");
        problem.ExtensionString("username").Should().Be(username);
        problem.ExtensionString("existingUsername").Should().Be(existing);
        (await client.GetAsync($"/users/{Uri.EscapeDataString(username)}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_whole_script_cyrillic_look_alike_of_scope_is_refused_and_the_original_keeps_working()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        (await client.RegisterAsync("scope")).StatusCode.Should().Be(HttpStatusCode.Created);

        using var cyrillic = await client.RegisterAsync("\u0455\u0441\u043E\u0440\u0435");
        using var put = await client.SendAsync(PutUser("\u0455\u0441\u043E\u0440\u0435", ifNoneMatch: "*"));

        (await cyrillic.ShouldBeProblemAsync(HttpStatusCode.Conflict)).ExtensionString("existingUsername").Should().Be("scope");
        (await put.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type.Should().Be("/problems/username-look-alike");
        (await client.GetAsync("/users/scope")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.RegisterAsync("scope")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.DeleteAsync("/users/\u0455\u0441\u043E\u0440\u0435")).StatusCode.Should().Be(HttpStatusCode.NotFound, "the look-alike is not the account");
        (await client.DeleteAsync("/users/scope")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await client.RegisterAsync("\u0455\u0441\u043E\u0440\u0435")).StatusCode.Should().Be(HttpStatusCode.Created, "once scope is gone, nothing looks like it");
    }

    [Fact]
    public async Task Names_that_only_share_letters_are_not_look_alikes()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        foreach (var name in new[] { "jane_smith_2", "john.doe", "john-doe", "johndoe", "jöhn_doe" })
        {
            (await client.RegisterAsync(name)).StatusCode.Should().Be(HttpStatusCode.Created, name);
        }
    }

    [Fact]
    public async Task A_name_and_its_look_alike_raced_together_give_exactly_one_201()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var statuses = await Concurrently.SendAsync(200, i => client.RegisterAsync(i % 2 == 0 ? "scope" : "\u0455\u0441\u043E\u0440\u0435"));

        statuses.Count(status => status == HttpStatusCode.Created).Should().Be(1);
        statuses.Count(status => status == HttpStatusCode.Conflict).Should().Be(199);
        (await app.Store.CountAsync()).Should().Be(3);
    }

    [Theory]
    [InlineData("scope", "\u0455\u0441\u043E\u0440\u0435")]
    [InlineData("jane_smith", "jane_sm\u0131th")]
    [InlineData("john_doe", "j\u0585hn_doe")]
    [InlineData("rn_user", "m_user")]
    [InlineData("user_l", "user_1")]
    public void Look_alikes_share_a_skeleton_and_hash(string original, string lookAlike)
    {
        var (a, b) = (UsernameKey.From(original), UsernameKey.From(lookAlike));

        UsernameSkeleton.Of(b).Should().Be(UsernameSkeleton.Of(a));
        LookAlikeComparer.Instance.Equals(a, b).Should().BeTrue();
        LookAlikeComparer.Instance.GetHashCode(b).Should().Be(LookAlikeComparer.Instance.GetHashCode(a));
    }
}
