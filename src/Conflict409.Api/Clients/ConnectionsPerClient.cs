using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Clients;

/// <summary>
/// Counts the connections each client (<see cref="ClientAddress"/>) holds open, and refuses one more than
/// <see cref="FairnessOptions.ConnectionsPerClient"/>. Kestrel's own MaxConcurrentConnections is one budget for
/// everyone, so a single address holding a thousand idle keep-alive connections used to lock every other
/// client out; now it can only use up its own share. A trusted proxy (<see cref="TrustedProxies"/>) is not capped: it
/// carries every learner behind it, whose addresses are known only once a request's X-Forwarded-For is read, after
/// the connection is accepted. It is the teacher's own machine; Kestrel's MaxConcurrentConnections still bounds it.
/// </summary>
public sealed partial class ConnectionsPerClient(
    IOptions<FairnessOptions> options, TrustedProxies proxies, ILogger<ConnectionsPerClient> logger)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _open = [];
    private readonly int _limit = options.Value.ConnectionsPerClient;

    /// <summary>Takes a connection place for <paramref name="client"/>, unless it already holds all of its own.</summary>
    public bool TryOpen(string client)
    {
        lock (_lock)
        {
            var open = _open.GetValueOrDefault(client);
            if (open >= _limit)
            {
                return false;
            }

            _open[client] = open + 1;
            return true;
        }
    }

    public void Close(string client)
    {
        lock (_lock)
        {
            var open = _open[client] - 1;
            if (open == 0)
            {
                // Forget clients that left, so the table stays as small as the set of connected clients.
                _open.Remove(client);
            }
            else
            {
                _open[client] = open;
            }
        }
    }

    /// <summary>How many connections <paramref name="client"/> holds open now.</summary>
    public int OpenBy(string client)
    {
        lock (_lock)
        {
            return _open.GetValueOrDefault(client);
        }
    }

    internal async Task HandleAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        var address = (connection.RemoteEndPoint as IPEndPoint)?.Address;
        if (proxies.IsTrusted(address))
        {
            await next(connection);
            return;
        }

        var client = ClientAddress.Partition(address);
        if (!TryOpen(client))
        {
            // Returning without calling next closes the connection, as Kestrel does over its global limit.
            ConnectionRefused(logger, client, _limit);
            return;
        }

        try
        {
            await next(connection);
        }
        finally
        {
            Close(client);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Closed a new connection from {Client}: it already holds {Limit}.")]
    private static partial void ConnectionRefused(ILogger logger, string client, int limit);
}

public static class ConnectionsPerClientSetup
{
    /// <summary>Puts the per-client connection cap in front of every endpoint Kestrel listens on.</summary>
    public static IServiceCollection AddConnectionsPerClient(this IServiceCollection services) =>
        services.AddOptions<KestrelServerOptions>()
            .Configure(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
            {
                var connections = listen.ApplicationServices.GetRequiredService<ConnectionsPerClient>();
                listen.Use(next => connection => connections.HandleAsync(connection, next));
            }))
            .Services;
}
