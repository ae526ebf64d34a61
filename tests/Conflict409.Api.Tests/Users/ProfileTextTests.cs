using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Users;

public sealed class ProfileTextTests
{
    [Theory]
    [InlineData("displayName", "John\u202Eeod", "Bidirectional control characters are not allowed (U+202E): they reorder how the text around them is shown.")]
    [InlineData("displayName", "John\u2066Doe", "Bidirectional control characters are not allowed (U+2066): they reorder how the text around them is shown.")]
    [InlineData("displayName", "John\nDoe", "Control characters are not allowed (U+000A).")]
    [InlineData("displayName", "\u001b[31mred", "Control characters are not allowed (U+001B).")]
    [InlineData("bio", "line one\rover", "Control characters are not allowed (U+000D); break lines with \\n only.")]
    [InlineData("bio", "hi\u0007", "Control characters are not allowed (U+0007); break lines with \\n only.")]
    [InlineData("bio", "\u200Fmarked", "Bidirectional control characters are not allowed (U+200F): they reorder how the text around them is shown.")]
    public async Task Control_and_bidi_control_characters_in_a_profile_are_a_400_and_nothing_changes(string field, string text, string error)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var body = new Dictionary<string, object?> { [field] = text, ["version"] = 1 };

        using var response = await client.SendAsync(UpdateProfile("john_doe", body));

        (await response.ShouldBeValidationProblemAsync()).Errors[field].Should().Equal(error);
        var user = await app.Store.FindAsync(UsernameKey.From("john_doe"));
        user!.Version.Should().Be(1);
        user.Profile.Should().Be(UserProfile.Empty);
    }

    [Fact]
    public async Task A_bio_may_break_lines_and_use_any_script_or_emoji()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.SendAsync(UpdateProfile("john_doe",
            new { displayName = "Jöhn 約翰 👨‍👩‍👧", bio = "first line\nsecond line, עברית too", version = 1 }));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadFromJsonAsync<UserResponse>())!.Bio.Should().Be("first line\nsecond line, עברית too");
    }
}
