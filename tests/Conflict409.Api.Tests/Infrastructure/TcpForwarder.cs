using System.Net;
using System.Net.Sockets;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay between a server under test and its database, which the test can cut and restore:
/// the database "goes down" for that one server only, while every other test keeps using the cluster.
/// Cut drops every relayed connection and refuses new ones (each is closed as soon as it is accepted).
/// </summary>
public sealed class TcpForwarder : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly DnsEndPoint _target;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lock = new();
    private readonly List<TcpClient> _open = [];
    private readonly Task _accepting;
    private bool _cut;

    private TcpForwarder(DnsEndPoint target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public static TcpForwarder To(string host, int port) => new(new DnsEndPoint(host, port));

    public void Cut()
    {
        lock (_lock)
        {
            _cut = true;
            foreach (var client in _open)
            {
                client.Dispose();
            }

            _open.Clear();
        }
    }

    public void Restore()
    {
        lock (_lock)
        {
            _cut = false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        Cut();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stopping.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        var server = new TcpClient();
        lock (_lock)
        {
            if (_cut)
            {
                client.Dispose();
                server.Dispose();
                return;
            }

            _open.Add(client);
            _open.Add(server);
        }

        try
        {
            await server.ConnectAsync(_target.Host, _target.Port, _stopping.Token);
            using var relay = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            await Task.WhenAny(
                client.GetStream().CopyToAsync(server.GetStream(), relay.Token),
                server.GetStream().CopyToAsync(client.GetStream(), relay.Token));
            await relay.CancelAsync();
        }
        catch (Exception exception) when (exception is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // Cut, or one side closed: the other side is closed below, as a broken network would leave it.
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            client.Dispose();
            server.Dispose();
        }
    }
}
