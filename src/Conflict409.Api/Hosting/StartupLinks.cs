using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Conflict409.Api.Lessons;
using Conflict409.Api.OpenApi;
using Conflict409.Api.Progress;
using Conflict409.Api.Races;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Conflict409.Api.Hosting;

/// <summary>The addresses of this machine's network interfaces, behind an interface so a test can choose them.</summary>
public interface IMachineAddresses
{
    IReadOnlyList<IPAddress> GetUnicastAddresses();
}

/// <summary>The unicast addresses of the interfaces that are up.</summary>
public sealed class NetworkInterfaceAddresses : IMachineAddresses
{
    public IReadOnlyList<IPAddress> GetUnicastAddresses()
    {
        try
        {
            return [.. NetworkInterface.GetAllNetworkInterfaces()
                .Where(network => network.OperationalStatus == OperationalStatus.Up)
                .SelectMany(network => network.GetIPProperties().UnicastAddresses)
                .Select(unicast => unicast.Address)];
        }
        catch (NetworkInformationException)
        {
            // Some sandboxes refuse to list interfaces; localhost is still worth printing.
            return [];
        }
    }
}

/// <summary>
/// Once the server listens, tells whoever started it where learners go: for each address they can reach, the links to
/// Swagger UI, the race lab, the progress board and the lessons, and the teacher's class view. Bound to all interfaces (0.0.0.0, [::], +, *), Kestrel
/// only reports the wildcard, which no browser opens, so the machine's LAN addresses are listed instead, then localhost.
/// </summary>
public sealed partial class StartupLinks(IServer server, IMachineAddresses machine, ILogger<StartupLinks> logger)
    : IHostedLifecycleService
{
    /// <summary>The pages a learner starts from, in the order they are printed.</summary>
    public static readonly IReadOnlyList<string> Pages = [SwaggerSetup.UiPath, RaceEndpoints.LabPath, ProgressEndpoints.PagePath, LessonEndpoints.ListPath, ClassEndpoints.PagePath];

    /// <summary>
    /// The base URLs to print for the addresses the server is bound to: a wildcard host becomes one URL per IPv4
    /// <paramref name="interfaceAddresses"/> that is not loopback, then localhost; any other address is kept as it is.
    /// </summary>
    public static IReadOnlyList<string> ReachableBaseUrls(IEnumerable<string> boundAddresses, IEnumerable<IPAddress> interfaceAddresses)
    {
        var lan = interfaceAddresses
            .Where(address => address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address))
            .Distinct()
            .ToArray();
        var urls = new List<string>();
        foreach (var bound in boundAddresses)
        {
            var address = BindingAddress.Parse(bound);
            if (address.IsUnixPipe || address.IsNamedPipe)
            {
                continue;
            }

            if (IsWildcard(address.Host))
            {
                urls.AddRange(lan.Select(ip => $"{address.Scheme}://{ip}:{address.Port}"));
                urls.Add($"{address.Scheme}://localhost:{address.Port}");
            }
            else
            {
                urls.Add($"{address.Scheme}://{address.Host}:{address.Port}");
            }
        }

        // LAN addresses first: they are what a class types; localhost only works on this machine.
        return [.. urls.Distinct().OrderBy(url => new Uri(url).IsLoopback)];
    }

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var needsInterfaces = bound.Any(address => IsWildcard(BindingAddress.Parse(address).Host));
        foreach (var baseUrl in ReachableBaseUrls(bound, needsInterfaces ? machine.GetUnicastAddresses() : []))
        {
            LogLinks(logger, baseUrl, baseUrl + Pages[0], baseUrl + Pages[1], baseUrl + Pages[2], baseUrl + Pages[3], baseUrl + Pages[4]);
        }

        return Task.CompletedTask;
    }

    private static bool IsWildcard(string host) => host is "0.0.0.0" or "[::]" or "::" or "+" or "*";

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Learners open {BaseUrl}: Swagger UI {SwaggerUrl}, race lab {LabUrl}, progress board {ProgressUrl}, lessons {LessonsUrl}; the teacher's class view {ClassUrl}")]
    private static partial void LogLinks(
        ILogger logger, string baseUrl, string swaggerUrl, string labUrl, string progressUrl, string lessonsUrl, string classUrl);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class StartupLinksSetup
{
    public static IServiceCollection AddStartupLinks(this IServiceCollection services)
    {
        services.AddSingleton<IMachineAddresses, NetworkInterfaceAddresses>();
        services.AddHostedService<StartupLinks>();
        return services;
    }
}
