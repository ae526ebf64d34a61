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
        UseKestrel(port: 0);
        StartServer();
        BaseAddress = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single().Replace("[::1]", "localhost", StringComparison.Ordinal).TrimEnd('/');
    }

    public string BaseAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureServices(services => _configureServices?.Invoke(services));
}
