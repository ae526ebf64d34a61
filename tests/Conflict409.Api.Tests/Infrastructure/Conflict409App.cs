using System.Net;
using System.Net.Sockets;
using Conflict409.Api.Users;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>
/// The server under test. Create one per test (<c>await using var app = new Conflict409App();</c>) so no
/// test sees another's users. Settings and services can be replaced before the host starts.
/// The whole suite runs against the store that <see cref="TestStore"/> names: in memory, or a fresh
/// PostgreSQL database per server when CONFLICT409_TEST_STORE=PostgreSql.
/// </summary>
public sealed class Conflict409App : WebApplicationFactory<Program>
{
    private readonly string _environment;
    private readonly Dictionary<string, string?> _settings = [];
    private readonly List<Action<IServiceCollection>> _serviceOverrides = [];
    private readonly TestDatabase? _database;
    private readonly ProblemTypeRecorder _problemTypes = new();

    public Conflict409App(string environment = "Development")
        : this(environment, TestStore.IsPostgreSql ? TestDatabase.Create() : null, ownsDatabase: true)
    {
    }

    private Conflict409App(string environment, TestDatabase? database, bool ownsDatabase)
    {
        _environment = environment;
        _database = database;
        _ownsDatabase = ownsDatabase;
        // Every test is a source of problems: each type a server sends must be one of ProblemCatalog.All.
        Decorate<IProblemDetailsService>(_problemTypes.Wrap);
        // Every test request comes from one client; tests of the fairness limits set their own, small ones, or
        // ask for the shipped ones (WithShippedFairnessLimits).
        foreach (var limit in FairnessLimits)
        {
            _settings[$"Fairness:{limit}:PermitLimit"] = "1000000";
        }

        if (database is not null)
        {
            _settings["Store"] = "PostgreSql";
            _settings["ConnectionStrings:Conflict409"] = database.ConnectionString;
        }
    }

    private readonly bool _ownsDatabase;

    private static IEnumerable<string> FairnessLimits => ["Registrations", "TeamCreations", "Listing"];

    /// <summary>A server with its own in-memory store, whatever store the suite runs against.</summary>
    public static Conflict409App InMemory() => new("Development", database: null, ownsDatabase: false);

    /// <summary>
    /// A server on a database that other servers share (the caller disposes the database); with
    /// <paramref name="instanceName"/>, one of several instances on it.
    /// </summary>
    public static Conflict409App OnDatabase(TestDatabase database, string? instanceName = null)
    {
        var app = new Conflict409App("Development", database, ownsDatabase: false);
        return instanceName is null ? app : app.WithSetting("Instance:Name", instanceName);
    }

    public Conflict409App WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>The per-client limits as appsettings.json ships them, instead of lifted for the one test client.</summary>
    public Conflict409App WithShippedFairnessLimits()
    {
        foreach (var limit in FairnessLimits)
        {
            _settings.Remove($"Fairness:{limit}:PermitLimit");
        }

        return this;
    }

    public Conflict409App WithServices(Action<IServiceCollection> configure)
    {
        _serviceOverrides.Add(configure);
        return this;
    }

    /// <summary>Wraps whichever user store the server runs with, e.g. to hold or fail one operation.</summary>
    public Conflict409App DecorateUserStore<TDecorator>(Func<IUserStore, TDecorator> decorate)
        where TDecorator : class, IUserStore =>
        WithServices(services =>
        {
            var original = services.Last(descriptor => descriptor.ServiceType == typeof(IUserStore));
            services.Remove(original);
            services.AddSingleton(provider => decorate((IUserStore)Resolve(provider, original)));
            services.AddSingleton<IUserStore>(provider => provider.GetRequiredService<TDecorator>());
        });

    /// <summary>Wraps the last registration of <typeparamref name="TService"/>, however it was registered.</summary>
    public Conflict409App Decorate<TService>(Func<TService, TService> decorate)
        where TService : class =>
        WithServices(services =>
        {
            var original = services.Last(descriptor => descriptor.ServiceType == typeof(TService));
            services.Remove(original);
            services.Add(ServiceDescriptor.Describe(
                typeof(TService), provider => decorate((TService)Resolve(provider, original)), original.Lifetime));
        });

    private static object Resolve(IServiceProvider provider, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance
        ?? descriptor.ImplementationFactory?.Invoke(provider)
        ?? ActivatorUtilities.CreateInstance(provider, descriptor.ImplementationType!);

    /// <summary>Every problem <c>type</c> this server wrote.</summary>
    public IReadOnlyCollection<string> ProblemTypesSent => _problemTypes.Sent;
    /// <summary>
    /// Runs the server on Kestrel at a real loopback port, so that requests carry a real source address and
    /// <see cref="ClientFrom"/> can tell clients apart (the in-process test server has no addresses).
    /// </summary>
    public Conflict409App OnRealSockets()
    {
        // The port comes from the server's own URL setting, not UseKestrel(port: 0): with a minimal-API Program the
        // factory rewrites the listening addresses after the app has started Kestrel on its own thread, a race that
        // now and then throws "Addresses cannot be modified after the server has started" (dotnet/aspnetcore#67714).
        UseKestrel();
        _settings[WebHostDefaults.ServerUrlsKey] = "http://127.0.0.1:0";
        return this;
    }

    /// <summary>The address the server listens on, once started on real sockets.</summary>
    public Uri ListeningAddress
    {
        get
        {
            StartServer();
            var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses
                .Select(found => new Uri(found))
                .First(found => found.Host is "127.0.0.1" or "localhost" or "[::1]");
            return new UriBuilder(address) { Host = "127.0.0.1" }.Uri;
        }
    }

    /// <summary>
    /// A client whose connections come from <paramref name="sourceAddress"/>, a loopback address such as
    /// 127.0.0.2: to the server, a different machine from 127.0.0.3.
    /// </summary>
    public HttpClient ClientFrom(string sourceAddress)
    {
        var source = IPAddress.Parse(sourceAddress);
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(source, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return new HttpClient(handler) { BaseAddress = ListeningAddress };
    }

    /// <summary>A raw TCP connection from <paramref name="sourceAddress"/> to the server.</summary>
    public async Task<Socket> ConnectFromAsync(string sourceAddress)
    {
        var target = ListeningAddress;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Parse(sourceAddress), 0));
        await socket.ConnectAsync(IPAddress.Loopback, target.Port);
        return socket;
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase && _database is not null)
        {
            await _database.DisposeAsync();
        }

        _problemTypes.Unlisted.Should().BeEmpty(
            "every problem type the server sends has a ProblemType, listed at /problems with its explanation page");
    }
}
