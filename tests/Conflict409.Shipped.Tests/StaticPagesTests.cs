using System.Net;
using System.Net.Http.Headers;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// Every page and asset, fetched as a browser fetches it (asking for gzip and Brotli), from the server started as
/// the README says. Under <c>dotnet run</c> the server is Production, where static assets once came back as
/// 200 with no bytes to any request that accepted compression.
/// </summary>
public sealed class StaticPagesTests(ShippedServer server) : IClassFixture<ShippedServer>
{
    public static TheoryData<string, string> Pages => new()
    {
        { "/lab/index.html", "<title>" },
        { "/lab/lab.js", "/naive/register" },
        { "/lab/lab.css", "{" },
        { "/progress.html", "<title>" },
        { "/swagger/index.html", "swagger-ui" },
        { "/swagger/v1/swagger.json", "\"openapi\"" },
        { "/problems/username-taken", "username-taken" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_and_asset_has_its_content_when_the_browser_accepts_compression(string path, string expected)
    {
        using var client = BrowserLikeClient();

        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK, path);
        var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        body.Should().Contain(expected, $"{path} must arrive whole, whatever encoding the server chose");
    }

    [Fact]
    public async Task The_lab_address_leads_to_the_lab_page()
    {
        using var client = BrowserLikeClient();

        using var response = await client.GetAsync("/lab", TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.RequestMessage!.RequestUri!.AbsolutePath.Should().Be("/lab/index.html");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).Should().Contain("lab.js");
    }

    [Fact]
    public async Task A_compressed_asset_is_the_same_file_as_the_uncompressed_one()
    {
        using var browser = BrowserLikeClient();
        using var plain = server.ClientFrom(server.NextLearnerAddress());

        var compressed = await browser.GetByteArrayAsync("/lab/lab.js", TestContext.Current.CancellationToken);
        var uncompressed = await plain.GetByteArrayAsync("/lab/lab.js", TestContext.Current.CancellationToken);

        uncompressed.Should().NotBeEmpty();
        compressed.Should().Equal(uncompressed);
    }

    [Fact]
    public void The_server_serves_its_assets_without_a_warning_about_static_web_assets() =>
        server.Log.Should().NotContain("Static Web Assets are not enabled");

    /// <summary>Sends <c>Accept-Encoding: gzip, deflate, br</c> and decompresses, as a browser does.</summary>
    private HttpClient BrowserLikeClient()
    {
        var client = server.ClientFrom(server.NextLearnerAddress(), decompress: true);
        client.DefaultRequestHeaders.AcceptEncoding.ParseAdd("gzip, deflate, br");
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        return client;
    }
}
