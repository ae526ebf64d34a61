using System.Net;
using System.Net.Sockets;
using System.Text;
using Conflict409.Api.Clients;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Conflict409.Api.Tests.Clients;

/// <summary>
/// Issue #20: connections over Fairness:ConnectionsPerClient were closed with no answer, so a script racing 100
/// threads from one address saw 68 dead connections, and the client's race command crashed. Now each gets a 503.
/// </summary>
public sealed class ConnectionsPerClientTests
{
    private const string Client = "127.0.0.2";

    [Fact]
    public async Task A_request_on_a_connection_over_the_cap_gets_a_503_problem_with_Retry_After_and_the_connection_closes()
    {
        await using var app = new Conflict409App().OnRealSockets().WithSetting("Fairness:ConnectionsPerClient", "1");
        using var holder = app.ClientFrom(Client);
        (await holder.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
        using var oneTooMany = app.ClientFrom(Client);

        using var response = await oneTooMany.GetAsync("/users/john_doe");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.Type.Should().Be("/problems/too-many-connections");
        problem.Title.Should().Be("Too many connections from this client.");
        problem.Detail.Should().Be(
            "This client (127.0.0.2) already holds 1 open connections (Fairness:ConnectionsPerClient), so this connection " +
            "was not served. Send further requests over the connections it holds, or retry after Retry-After seconds.");
        problem.Instance.Should().Be("/users/john_doe");
        response.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(1));
        response.Headers.ConnectionClose.Should().BeTrue();
        (await holder.GetAsync("/users/john_doe")).StatusCode.Should().Be(HttpStatusCode.OK, "the held connection is served as before");
    }

    [Fact]
    public async Task Beyond_the_refusals_answered_at_once_a_connection_is_closed_unanswered()
    {
        await using var app = new Conflict409App().OnRealSockets()
            .WithSetting("Fairness:ConnectionsPerClient", "1")
            .WithSetting("Fairness:RefusedConnectionsAnswered", "1");
        var connections = app.Services.GetRequiredService<ConnectionsPerClient>();
        using var held = await app.ConnectFromAsync(Client);
        (await ExchangeAsync(held, "GET /healthz HTTP/1.1\r\nHost: class\r\n\r\n")).Should().StartWith("HTTP/1.1 200 OK");
        using var beingRefused = await app.ConnectFromAsync(Client);
        await beingRefused.SendAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: cl"));
        // The server takes the refusal's place when it accepts the connection; wait for that, not for a time.
        while (connections.RefusingFor(Client) == 0)
        {
            await Task.Yield();
        }

        using var unanswered = await app.ConnectFromAsync(Client);
        var closed = await ExchangeAsync(unanswered, "GET /healthz HTTP/1.1\r\nHost: class\r\n\r\n");
        var answered = await ExchangeAsync(beingRefused, "ass\r\n\r\n");

        closed.Should().BeEmpty("the client already has its one refusal being answered");
        answered.Should().StartWith("HTTP/1.1 503 Service Unavailable");
        connections.OpenBy(Client).Should().Be(1);
    }

    /// <summary>Sends a request and reads until the end of the response headers, or until the server closes.</summary>
    private static async Task<string> ExchangeAsync(Socket socket, string request)
    {
        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes(request));
            var received = new StringBuilder();
            var buffer = new byte[4096];
            while (!received.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await socket.ReceiveAsync(buffer);
                if (read == 0)
                {
                    break;
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return received.ToString();
        }
        catch (SocketException)
        {
            return "";
        }
    }
}
