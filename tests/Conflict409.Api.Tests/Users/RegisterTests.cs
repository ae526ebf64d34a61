using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;
using Microsoft.Extensions.Logging;

namespace Conflict409.Api.Tests.Users;

public sealed class RegisterTests
{
    [Fact]
    public async Task The_articles_client_flow_gets_201_for_a_new_user_then_409_for_john_doe()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var created = await client.RegisterAsync("new_user");
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        created.Headers.Location.Should().Be(new Uri("/users/new_user", UriKind.Relative));
        created.Content.Headers.ContentType?.MediaType.Should().Be("application/json");
        var body = await created.Content.ReadFromJsonAsync<RegistrationResponse>();
        body.Should().Be(new RegistrationResponse("User registered successfully.", "new_user"));

        using var conflict = await client.RegisterAsync("john_doe");
        var problem = await conflict.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be("/problems/username-taken");
        problem.Title.Should().Be("Username already exists.");
        problem.Detail.Should().Be(
            "The username 'john_doe' is already taken by the existing account 'john_doe'. Choose another username.");
        problem.Instance.Should().Be("/register");
        problem.ExtensionString("username").Should().Be("john_doe");
        problem.ExtensionString("existingUsername").Should().Be("john_doe");
    }

    [Fact]
    public async Task Registering_a_name_then_the_same_name_then_a_case_and_width_variant_returns_201_409_409()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var first = await client.RegisterAsync("Alice_W");
        using var again = await client.RegisterAsync("Alice_W");
        using var variant = await client.RegisterAsync("ａｌｉｃｅ＿ｗ");

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        (await again.ShouldBeProblemAsync(HttpStatusCode.Conflict)).ExtensionString("existingUsername").Should().Be("Alice_W");
        var problem = await variant.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.ExtensionString("username").Should().Be("ａｌｉｃｅ＿ｗ");
        problem.ExtensionString("existingUsername").Should().Be("Alice_W");
        problem.Detail.Should().Contain("'Alice_W'");
    }

    [Theory]
    [InlineData("John_Doe")]
    [InlineData("JOHN_DOE")]
    [InlineData("ｊｏｈｎ＿ｄｏｅ")]
    [InlineData("Ｊｏｈｎ_Ｄｏｅ")]
    public async Task Case_and_width_variants_of_a_seeded_user_collide_with_it(string variant)
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var response = await client.RegisterAsync(variant);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.ExtensionString("existingUsername").Should().Be("john_doe");
    }

    [Fact]
    public async Task The_display_form_the_user_typed_is_kept()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var created = await client.RegisterAsync("Zoë.Smith-2");
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        created.Headers.Location!.OriginalString.Should().Be("/users/Zo%C3%AB.Smith-2");

        var user = await client.GetFromJsonAsync<UserResponse>("/users/zoë.smith-2");
        user!.Username.Should().Be("Zoë.Smith-2");
    }

    [Fact]
    public async Task Seed_users_come_from_configuration()
    {
        await using var app = new Conflict409App()
            .WithSetting("Users:Seed:0", "alice")
            .WithSetting("Users:Seed:1", "bob");
        using var client = app.CreateClient();

        (await client.RegisterAsync("Alice")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.RegisterAsync("BOB")).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await client.RegisterAsync("john_doe")).StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Each_registration_and_each_conflict_is_logged_at_information()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        await client.RegisterAsync("logged_user");
        await client.RegisterAsync("JOHN_DOE");

        var messages = app.Logs.GetSnapshot()
            .Where(record => record.Category == typeof(UserLog).FullName)
            .Select(record => (record.Level, record.Message))
            .ToList();
        messages.Should().Equal(
            (LogLevel.Information, "Registered user logged_user"),
            (LogLevel.Information, "Refused registration of JOHN_DOE: it collides with existing user john_doe"));
    }
}
