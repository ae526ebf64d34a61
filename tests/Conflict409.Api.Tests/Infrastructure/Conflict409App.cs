using Conflict409.Api.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>
/// The server under test. Create one per test (<c>await using var app = new Conflict409App();</c>) so no
/// test sees another's users. Settings and services can be replaced before the host starts.
/// </summary>
public sealed class Conflict409App : WebApplicationFactory<Program>
{
    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings = [];
    private readonly List<Action<IServiceCollection>> _serviceOverrides = [];

    public Conflict409App(string environment = "Development") => _environment = environment;

    public Conflict409App WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public Conflict409App WithServices(Action<IServiceCollection> configure)
    {
        _serviceOverrides.Add(configure);
        return this;
    }

    public FakeLogCollector Logs => Services.GetRequiredService<FakeLogCollector>();

    public IUserStore Store => Services.GetRequiredService<IUserStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.ClearProviders().AddFakeLogging());
        builder.ConfigureServices(services =>
        {
            foreach (var configure in _serviceOverrides)
            {
                configure(services);
            }
        });
    }
}
