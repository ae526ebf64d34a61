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
    public async Task The_user_list_holds_the_seeded_users_and_new_ones_in_username_order()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        (await client.RegisterAsync("New_User")).StatusCode.Should().Be(HttpStatusCode.Created);

        var page = await client.GetFromJsonAsync<UserPage>("/users");

        page!.Items.Select(user => user.Username).Should().Equal("jane_smith", "john_doe", "New_User");
        page.NextCursor.Should().BeNull();
        page.Total.Should().Be(3);
    }

    [Fact]
    public async Task The_user_list_is_paged_with_a_cursor_and_every_user_appears_exactly_once()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        for (var i = 0; i < 23; i++)
        {
            (await client.RegisterAsync($"paged_{i:D2}")).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        var seen = new List<string>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var page = await client.GetFromJsonAsync<UserPage>($"/users?limit=10{(cursor is null ? "" : $"&cursor={cursor}")}");
            page!.Items.Should().HaveCountLessThanOrEqualTo(10);
            seen.AddRange(page.Items.Select(user => user.Username));
            cursor = page.NextCursor;
            pages++;
            if (pages == 1)
            {
                // Registered after the first page was read, before the cursor it sorts after: must still show up.
                (await client.RegisterAsync("zz_late_comer")).StatusCode.Should().Be(HttpStatusCode.Created);
            }
        }
        while (cursor is not null);

        pages.Should().Be(3);
        (await client.GetFromJsonAsync<UserPage>("/users?limit=1"))!.Total.Should().Be(26);
        seen.Should().OnlyHaveUniqueItems().And.HaveCount(26).And.BeInAscendingOrder(StringComparer.Ordinal);
    }

    [Theory]
    [InlineData("/users?limit=0")]
    [InlineData("/users?limit=101")]
    [InlineData("/users?limit=many")]
    public async Task A_limit_outside_1_to_100_is_a_400_problem(string path)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        response.Content.Headers.ContentType?.MediaType.Should().Be(HttpAssertions.ProblemJson);
    }
}
