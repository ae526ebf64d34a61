using System.Net;
using Conflict409.Api.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using IPNetwork = System.Net.IPNetwork;

namespace Conflict409.Api.Clients;

/// <summary>
/// The reverse proxies (nginx, a cloud balancer, an editor's port forwarding) whose <c>X-Forwarded-For</c>,
/// <c>X-Forwarded-Proto</c> and <c>X-Forwarded-Host</c> the server believes. Both lists are empty by default: any
/// client can send those headers, so believing them from anyone but a named proxy would let a learner pass for any
/// address and escape its own limits.
/// </summary>
public sealed class TrustedProxiesOptions
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>Addresses of the proxies in front of the server, e.g. <c>10.0.0.5</c> or <c>::1</c>.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Networks of proxies in CIDR notation, e.g. <c>10.0.0.0/24</c>, when the proxy's address changes.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

/// <summary>A proxy address or network that does not parse stops the server at start, naming the setting.</summary>
public sealed class TrustedProxiesValidation : IValidateOptions<TrustedProxiesOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxiesOptions options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Length; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
            {
                failures.Add($"{TrustedProxiesOptions.SectionName}:{nameof(TrustedProxiesOptions.KnownProxies)}:{i} must be an IP address " +
                    $"such as 10.0.0.5; '{options.KnownProxies[i]}' is not.");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Length; i++)
        {
            if (!IsNetwork(options.KnownNetworks[i]))
            {
                failures.Add($"{TrustedProxiesOptions.SectionName}:{nameof(TrustedProxiesOptions.KnownNetworks)}:{i} must be a network in " +
                    $"CIDR notation such as 10.0.0.0/24 (no bits set after the prefix); '{options.KnownNetworks[i]}' is not.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // IPNetwork reads 10.0.0.5/8 as 10.0.0.0/8: refused here, since whoever wrote it may have meant one proxy.
    private static bool IsNetwork(string value) =>
        IPNetwork.TryParse(value, out var network)
        && IPAddress.TryParse(value.AsSpan(0, value.IndexOf('/', StringComparison.Ordinal)), out var written)
        && written.Equals(network.BaseAddress);
}

/// <summary>
/// The configured proxies, parsed once: what the forwarded-headers middleware trusts, and what the per-client
/// connection cap leaves uncounted (<see cref="ConnectionsPerClient"/>: a proxy carries the whole class's connections).
/// </summary>
public sealed class TrustedProxies(IOptions<TrustedProxiesOptions> options)
{
    private readonly IPAddress[] _proxies = [.. options.Value.KnownProxies.Select(address => Normalise(IPAddress.Parse(address)))];
    private readonly IPNetwork[] _networks = [.. options.Value.KnownNetworks.Select(network => IPNetwork.Parse(network))];

    /// <summary>False by default: then no request's forwarded headers are read at all.</summary>
    public bool Any => _proxies.Length > 0 || _networks.Length > 0;

    public IReadOnlyList<IPAddress> Proxies => _proxies;

    public IReadOnlyList<IPNetwork> Networks => _networks;

    /// <summary>Whether <paramref name="address"/> is a named proxy, as the framework's middleware decides it.</summary>
    public bool IsTrusted(IPAddress? address)
    {
        if (address is null || !Any)
        {
            return false;
        }

        address = Normalise(address);
        return _proxies.Contains(address) || _networks.Any(network => network.Contains(address));
    }

    // Kestrel on a dual-mode socket reports an IPv4 client as ::ffff:a.b.c.d; the settings name a.b.c.d.
    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}

public static class TrustedProxiesSetup
{
    public static IServiceCollection AddTrustedProxies(this IServiceCollection services)
    {
        services.AddValidatedOptions<TrustedProxiesOptions>(TrustedProxiesOptions.SectionName);
        services.AddSingleton<IValidateOptions<TrustedProxiesOptions>, TrustedProxiesValidation>();
        services.AddSingleton<TrustedProxies>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<TrustedProxies>((forwarded, trusted) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // The framework trusts loopback by default; here only the configured proxies are trusted.
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in trusted.Proxies)
            {
                forwarded.KnownProxies.Add(proxy);
            }

            foreach (var network in trusted.Networks)
            {
                forwarded.KnownIPNetworks.Add(network);
            }

            // No fixed count of hops: X-Forwarded-For is read from the right, one address per trusted proxy, and the
            // first address that is not a named proxy is the client. So a chain of named proxies (a balancer in front
            // of nginx) works, and whatever a client wrote itself at the left of the list is never reached.
            forwarded.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>
    /// Makes the client a trusted proxy forwards for the request's remote address, so everything that reads
    /// <see cref="ClientAddress"/> sees the learner, not the proxy. Put it first: before the progress recorder,
    /// the rate limiter and the idempotency filter read the address. With no proxy named, it is not added at all.
    /// </summary>
    public static WebApplication UseTrustedProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TrustedProxies>().Any)
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
