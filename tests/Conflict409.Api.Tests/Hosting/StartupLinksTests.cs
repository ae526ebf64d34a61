using System.Net;
using Conflict409.Api.Hosting;
using Conflict409.Api.Tests.Infrastructure;

namespace Conflict409.Api.Tests.Hosting;

/// <summary>
/// When the server starts, its log says where learners go. The in-process test server only echoes the configured
/// URL, so the expansion of a wildcard binding is tested as the pure function it is, and the log line on a real
/// loopback socket, where Kestrel reports the port it bound.
/// </summary>
public sealed class StartupLinksTests
{
    private static readonly IPAddress[] Interfaces =
    [
        IPAddress.Loopback,
        IPAddress.Parse("192.168.1.20"),
        IPAddress.Parse("fe80::1"),
        IPAddress.IPv6Loopback,
        IPAddress.Parse("10.0.0.7"),
        IPAddress.Parse("192.168.1.20"),
    ];

    [Theory]
    [InlineData("http://0.0.0.0:5000")]
    [InlineData("http://+:5000")]
    [InlineData("http://*:5000")]
    [InlineData("http://[::]:5000")]
    public void A_server_bound_to_all_interfaces_lists_each_lan_ipv4_address_then_localhost(string bound)
    {
        var urls = StartupLinks.ReachableBaseUrls([bound], Interfaces);

        urls.Should().Equal("http://192.168.1.20:5000", "http://10.0.0.7:5000", "http://localhost:5000");
    }

    [Fact]
    public void A_machine_without_a_lan_address_still_lists_localhost()
    {
        var urls = StartupLinks.ReachableBaseUrls(["http://0.0.0.0:5000"], [IPAddress.Loopback, IPAddress.Parse("fe80::1")]);

        urls.Should().Equal("http://localhost:5000");
    }

    [Fact]
    public void A_server_bound_to_named_addresses_lists_them_as_bound_lan_first()
    {
        var urls = StartupLinks.ReachableBaseUrls(
            ["http://localhost:5000", "https://192.168.1.20:5001", "http://127.0.0.1:5002"], Interfaces);

        urls.Should().Equal("https://192.168.1.20:5001", "http://localhost:5000", "http://127.0.0.1:5002");
    }

    [Fact]
    public void Each_address_and_wildcard_is_listed_once()
    {
        var urls = StartupLinks.ReachableBaseUrls(["http://0.0.0.0:5000", "http://[::]:5000", "http://localhost:5000"], Interfaces);

        urls.Should().Equal("http://192.168.1.20:5000", "http://10.0.0.7:5000", "http://localhost:5000");
    }

    [Fact]
    public async Task A_server_on_a_real_socket_logs_links_to_swagger_the_lab_the_progress_board_the_lessons_and_the_class_view_and_each_opens()
    {
        await using var app = new Conflict409App().OnRealSockets();
        var address = app.ListeningAddress.ToString().TrimEnd('/');

        var lines = app.Logs.GetSnapshot()
            .Where(record => record.Category == typeof(StartupLinks).FullName)
            .Select(record => (record.Level, record.Message))
            .ToArray();

        lines.Should().Equal((Microsoft.Extensions.Logging.LogLevel.Information,
            $"Learners open {address}: Swagger UI {address}/swagger, race lab {address}/lab, " +
            $"progress board {address}/progress.html, lessons {address}/lessons; the teacher's class view {address}/class.html"));
        using var client = new HttpClient { BaseAddress = app.ListeningAddress };
        foreach (var page in StartupLinks.Pages)
        {
            using var response = await client.GetAsync(page);
            response.StatusCode.Should().Be(HttpStatusCode.OK, page);
        }
    }
}
