using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Conflict409.Browser.Tests;

/// <summary>The real server on a real loopback port, so a real browser can load it. One per test.</summary>
public sealed class LiveServer : WebApplicationFactory<Program>
{
    private readonly Action<IServiceCollection>? _configureServices;

    /// <param name="configureServices">Replaces services before the server starts, e.g. its clock.</param>
    public LiveServer(Action<IServiceCollection>? configureServices = null)
    {
        _configureServices = configureServices;
        // The port from the URL setting (ConfigureWebHost), not UseKestrel(port: 0): the factory would rewrite the
        // addresses after the app has started Kestrel on its own thread, a race (dotnet/aspnetcore#67714).
        UseKestrel();
        StartServer();
        BaseAddress = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single().Replace("[::1]", "localhost", StringComparison.Ordinal).TrimEnd('/');
    }

    public string BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.UseUrls("http://127.0.0.1:0").ConfigureServices(services => _configureServices?.Invoke(services));
}
