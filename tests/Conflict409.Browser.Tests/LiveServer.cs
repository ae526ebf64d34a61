using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Conflict409.Browser.Tests;

/// <summary>The real server on a real loopback port, so a real browser can load it. One per test.</summary>
public sealed class LiveServer : WebApplicationFactory<Program>
{
    public LiveServer()
    {
        UseKestrel(port: 0);
        StartServer();
        BaseAddress = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.Single().Replace("[::1]", "localhost", StringComparison.Ordinal).TrimEnd('/');
    }

    public string BaseAddress { get; }
}
