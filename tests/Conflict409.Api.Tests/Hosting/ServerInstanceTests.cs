using Conflict409.Api.Hosting;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Tests.Progress;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Tests.Hosting;

/// <summary>Lesson 5 runs several instances: every answer, and every board event, says which one gave it.</summary>
public sealed class ServerInstanceTests
{
    [Fact]
    public async Task Each_of_two_servers_names_itself_in_the_instance_header_of_every_response_problems_included()
    {
        await using var first = Conflict409App.InMemory().WithSetting("Instance:Name", "blue-1");
        await using var second = Conflict409App.InMemory().WithSetting("Instance:Name", "green-2");

        using var created = await first.CreateClient().RegisterAsync("instance_user");
        using var taken = await second.CreateClient().RegisterAsync("john_doe");
        using var health = await second.CreateClient().GetAsync("/healthz");

        created.Headers.GetValues(ServerInstance.HeaderName).Should().Equal("blue-1");
        taken.Headers.GetValues(ServerInstance.HeaderName).Should().Equal("green-2");
        health.Headers.GetValues(ServerInstance.HeaderName).Should().Equal("green-2");
    }

    [Fact]
    public async Task Without_a_configured_name_the_instance_is_named_after_the_machine_and_its_port()
    {
        await using var app = Conflict409App.InMemory();

        using var response = await app.CreateClient().GetAsync("/healthz");

        // The in-test server reports the addresses of the configured Urls (appsettings.json: port 5000).
        response.Headers.GetValues(ServerInstance.HeaderName).Should().Equal($"{Environment.MachineName}:5000");
    }

    [Fact]
    public async Task The_boards_recent_requests_name_the_instance_that_answered_each()
    {
        await using var app = Conflict409App.InMemory().WithSetting("Instance:Name", "blue-1");
        using var zed = app.Learner("zed_instance");

        using var taken = await zed.RegisterAsync("john_doe");
        var board = await zed.BoardAsync();

        board.Events.Should().ContainSingle().Which.Instance.Should().Be("blue-1");
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("a-name-that-is-much-longer-than-sixty-four-characters-is-refused-at-start")]
    public async Task A_server_with_an_instance_name_unfit_for_a_header_refuses_to_start(string name)
    {
        await using var app = Conflict409App.InMemory().WithSetting("Instance:Name", name);

        var start = () => app.CreateClient();

        start.Should().Throw<OptionsValidationException>().WithMessage("*Instance:Name*");
    }
}
