using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;

namespace Conflict409.Api.Tests.Users;

public sealed class UserLookupTests
{
    [Theory]
    [InlineData("john_doe")]
    [InlineData("JOHN_DOE")]
    [InlineData("ｊｏｈｎ＿ｄｏｅ")]
    public async Task A_user_is_found_by_any_spelling_that_normalises_to_it(string spelling)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync($"/users/{Uri.EscapeDataString(spelling)}");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        var user = await response.Content.ReadFromJsonAsync<UserResponse>();
        user!.Username.Should().Be("john_doe");
        user.RegisteredAt.Should().BeAfter(DateTimeOffset.MinValue);
    }

    [Fact]
    public async Task An_unknown_user_is_a_404_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/users/nobody");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        problem.Type.Should().Be("/problems/user-not-found");
        problem.Title.Should().Be("User not found.");
        problem.Detail.Should().Be("No account has the username 'nobody'.");
        problem.Instance.Should().Be("/users/nobody");
        problem.ExtensionString("username").Should().Be("nobody");
    }

    [Fact]
    public async Task The_user_list_holds_the_seeded_users_then_new_ones_in_registration_order()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        (await client.RegisterAsync("new_user")).StatusCode.Should().Be(HttpStatusCode.Created);

        var users = await client.GetFromJsonAsync<UserResponse[]>("/users");

        users!.Select(user => user.Username).Should().Equal("jane_smith", "john_doe", "new_user");
    }
}
