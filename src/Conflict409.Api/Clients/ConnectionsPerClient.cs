using System.Globalization;
using System.Net;
using Conflict409.Api.Problems;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Clients;

/// <summary>
/// Counts the connections each client (<see cref="ClientAddress"/>) holds open, and refuses one more than
/// <see cref="FairnessOptions.ConnectionsPerClient"/>. Kestrel's own MaxConcurrentConnections is one budget for
/// everyone, so a single address holding a thousand idle keep-alive connections used to lock every other
/// client out; now it can only use up its own share. A refused connection is answered, not dropped: its request
/// gets a 503 too-many-connections problem with Retry-After and <c>Connection: close</c>, so a burst larger than the
/// cap (lesson 6's race sent from a script) gets one answer per request. Answering holds the connection until its
/// request has arrived, so a client may have at most <see cref="FairnessOptions.RefusedConnectionsAnswered"/> of them
/// at once; beyond that, connections are closed unanswered, as Kestrel does over its global limit. A trusted proxy
/// (<see cref="TrustedProxies"/>) is not capped: it carries every learner behind it, whose addresses are known only
/// once a request's X-Forwarded-For is read, after the connection is accepted. It is the teacher's own machine;
/// Kestrel's MaxConcurrentConnections still bounds it.
/// </summary>
public sealed partial class ConnectionsPerClient(
    IOptions<FairnessOptions> options, TrustedProxies proxies, ILogger<ConnectionsPerClient> logger)
{
    /// <summary>How long a refused client is told to wait: about as long as one of its requests takes.</summary>
    public static readonly TimeSpan RetryRefusedAfter = TimeSpan.FromSeconds(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, int> _open = [];
    private readonly Dictionary<string, int> _refusing = [];
    private readonly int _limit = options.Value.ConnectionsPerClient;
    private readonly int _answered = options.Value.RefusedConnectionsAnswered;

    /// <summary>Takes a connection place for <paramref name="client"/>, unless it already holds all of its own.</summary>
    public bool TryOpen(string client) => TryTake(_open, client, _limit);

    public void Close(string client) => Release(_open, client);

    /// <summary>How many connections <paramref name="client"/> holds open now.</summary>
    public int OpenBy(string client)
    {
        lock (_lock)
        {
            return _open.GetValueOrDefault(client);
        }
    }

    /// <summary>Takes a place among the refused connections <paramref name="client"/> may have answered at once.</summary>
    public bool TryStartRefusal(string client) => TryTake(_refusing, client, _answered);

    public void EndRefusal(string client) => Release(_refusing, client);

    /// <summary>How many refused connections of <paramref name="client"/> are being answered now.</summary>
    public int RefusingFor(string client)
    {
        lock (_lock)
        {
            return _refusing.GetValueOrDefault(client);
        }
    }

    /// <summary>Answers a request that came on a refused connection; Kestrel then closes the connection.</summary>
    public async Task RefuseAsync(HttpContext context)
    {
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }

        var client = ClientAddress.Partition(context.Connection.RemoteIpAddress);
        RetryAfter.Set(context.Response, RetryRefusedAfter);
        var holds = string.Create(CultureInfo.InvariantCulture, $"This client ({client}) already holds {_limit} open connections");
        await ProblemTypes.TooManyConnections.WriteAsync(context, holds + " (Fairness:ConnectionsPerClient), so this " +
            "connection was not served. Send further requests over the connections it holds, or retry after Retry-After seconds.");
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
        if (TryOpen(client))
        {
            try
            {
                await next(connection);
            }
            finally
            {
                Close(client);
            }

            return;
        }

        if (!TryStartRefusal(client))
        {
            // Returning without calling next closes the connection, as Kestrel does over its global limit.
            ConnectionClosed(logger, client, _limit, _answered);
            return;
        }

        // Served by the HTTP pipeline only as far as the refusal (UseConnectionsPerClient): Kestrel reads the request
        // whole, so the answer is not lost to a reset over unread bytes, and closes the connection after it.
        connection.Features.Set(RefusedConnection.Instance);
        try
        {
            await next(connection);
        }
        finally
        {
            EndRefusal(client);
        }
    }

    private bool TryTake(Dictionary<string, int> counts, string client, int limit)
    {
        lock (_lock)
        {
            var count = counts.GetValueOrDefault(client);
            if (count >= limit)
            {
                return false;
            }

            counts[client] = count + 1;
            return true;
        }
    }

    private void Release(Dictionary<string, int> counts, string client)
    {
        lock (_lock)
        {
            var count = counts[client] - 1;
            if (count == 0)
            {
                // Forget clients that left, so the table stays as small as the set of connected clients.
                counts.Remove(client);
            }
            else
            {
                counts[client] = count;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug,
        Message = "Closed a new connection from {Client} unanswered: it holds {Limit}, and {Answered} refusals are being answered.")]
    private static partial void ConnectionClosed(ILogger logger, string client, int limit, int answered);
}

/// <summary>Marks a connection over its client's cap: every request on it is answered with the refusal.</summary>
public sealed class RefusedConnection
{
    public static readonly RefusedConnection Instance = new();

    private RefusedConnection()
    {
    }
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

    /// <summary>
    /// Answers each request that came on a refused connection (see <see cref="ConnectionsPerClient"/>) before anything
    /// else runs. Kestrel shows the HTTP pipeline its connection's features, so a request on a served connection pays
    /// one feature lookup.
    /// </summary>
    public static IApplicationBuilder UseConnectionsPerClient(this IApplicationBuilder app)
    {
        var connections = app.ApplicationServices.GetRequiredService<ConnectionsPerClient>();
        return app.Use(next => context => context.Features.Get<RefusedConnection>() is null
            ? next(context)
            : connections.RefuseAsync(context));
    }
}
