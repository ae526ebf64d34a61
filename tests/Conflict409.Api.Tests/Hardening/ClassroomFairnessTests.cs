using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Conflict409.Api.Clients;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Hardening;

/// <summary>
/// One server, a whole class: what one client did that used to take the server away from everyone else,
/// replayed with small limits. Clients are told apart by their loopback source address over real sockets
/// (127.0.0.2 is one learner's machine, 127.0.0.3 another's).
/// </summary>
public sealed class ClassroomFairnessTests
{
    private const string Flooder = "127.0.0.2";
    private const string Neighbour = "127.0.0.3";

    [Fact]
    public async Task A_client_minting_fresh_idempotency_keys_hits_its_own_quota_while_others_keep_using_keys()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new Conflict409App().OnRealSockets()
            .WithSetting("Idempotency:PerClientCapacity", "5")
            .WithSetting("Idempotency:Capacity", "8")
            .WithSetting("Idempotency:KeyLifetime", "01:00:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var flooder = app.ClientFrom(Flooder);
        using var neighbour = app.ClientFrom(Neighbour);
        for (var i = 0; i < 5; i++)
        {
            (await flooder.SendAsync(Register($"flood_{i}", $"\"f-{i}\""))).StatusCode.Should().Be(HttpStatusCode.Created);
            clock.Advance(TimeSpan.FromMinutes(1));
        }

        using var refused = await flooder.SendAsync(Register("flood_5", "\"f-5\""));
        using var welcome = await neighbour.SendAsync(Register("neighbour_0", "\"n-0\""));

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        problem.Type.Should().Be("/problems/idempotency-quota-exceeded");
        problem.Title.Should().Be("This client holds too many idempotency keys.");
        problem.Detail.Should().Be("This client (127.0.0.2) holds as many live Idempotency-Keys as one client may. Other clients " +
            "are not affected. Reuse a key only to retry the same request, or retry after 3300 s, when your oldest key expires.");
        problem.Instance.Should().Be("/register");
        problem.ExtensionString("client").Should().Be(Flooder);
        refused.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromMinutes(55), "the flooder's oldest key was claimed 5 minutes ago");
        welcome.StatusCode.Should().Be(HttpStatusCode.Created);
        (await flooder.SendAsync(Register("flood_0", "\"f-0\""))).StatusCode.Should().Be(HttpStatusCode.Created, "a retry of a held key still replays");

        clock.Advance(TimeSpan.FromMinutes(55));
        (await flooder.SendAsync(Register("flood_5", "\"f-5\""))).StatusCode.Should().Be(HttpStatusCode.Created, "its oldest key has expired");
    }

    [Fact]
    public async Task The_global_key_capacity_stays_as_a_last_resort_across_clients()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new Conflict409App().OnRealSockets()
            .WithSetting("Idempotency:PerClientCapacity", "2")
            .WithSetting("Idempotency:Capacity", "3")
            .WithSetting("Idempotency:KeyLifetime", "00:10:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var first = app.ClientFrom("127.0.0.4");
        using var second = app.ClientFrom("127.0.0.5");
        (await first.SendAsync(Register("first_a", "a"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await first.SendAsync(Register("first_b", "b"))).StatusCode.Should().Be(HttpStatusCode.Created);
        clock.Advance(TimeSpan.FromMinutes(2));
        (await second.SendAsync(Register("second_a", "a"))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var full = await second.SendAsync(Register("second_b", "b"));

        (await full.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Type.Should().Be("/problems/idempotency-store-full");
        full.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromMinutes(8));
    }

    [Fact]
    public async Task Two_learners_sending_the_same_key_k_1_never_see_each_others_responses()
    {
        await using var app = new Conflict409App().OnRealSockets();
        using var alice = app.ClientFrom("127.0.0.6");
        using var bob = app.ClientFrom("127.0.0.7");
        using var alices = await alice.SendAsync(Register("alice_k1", "\"k-1\""));

        using var bobs = await bob.SendAsync(Register("bob_k1", "\"k-1\""));
        using var bobReplaysAlice = await bob.SendAsync(Register("alice_k1", "\"k-1\""));
        using var alicesRetry = await alice.SendAsync(Register("alice_k1", "\"k-1\""));

        alices.StatusCode.Should().Be(HttpStatusCode.Created);
        bobs.StatusCode.Should().Be(HttpStatusCode.Created, "bob's \"k-1\" is his own key, not alice's");
        IsReplay(bobs).Should().BeFalse();
        (await bobReplaysAlice.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity)).Type
            .Should().Be("/problems/idempotency-key-reused", "bob's own k-1 registered bob_k1; alice's 201 is never replayed to him");
        IsReplay(alicesRetry).Should().BeTrue();
        (await alicesRetry.Content.ReadAsStringAsync()).Should().Be(await alices.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_client_registering_too_fast_gets_429_with_retry_after_while_another_still_registers()
    {
        // A window far longer than the test, so the limit cannot reset mid-test and nothing waits on the clock.
        await using var app = new Conflict409App().OnRealSockets()
            .WithSetting("Fairness:Registrations:PermitLimit", "3")
            .WithSetting("Fairness:Registrations:Window", "01:00:00");
        using var flooder = app.ClientFrom(Flooder);
        using var neighbour = app.ClientFrom(Neighbour);
        for (var i = 0; i < 3; i++)
        {
            (await flooder.RegisterAsync($"fast_{i}")).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var limited = await flooder.RegisterAsync("fast_3");
        using var limitedPut = await flooder.SendAsync(PutUser("fast_4", ifNoneMatch: "*"));

        var problem = await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        problem.Type.Should().Be("/problems/too-many-requests");
        problem.Title.Should().Be("Too many requests from this client.");
        var retryAfter = limited.Headers.RetryAfter!.Delta!.Value;
        retryAfter.Should().BeGreaterThan(TimeSpan.Zero).And.BeLessThanOrEqualTo(TimeSpan.FromHours(1));
        problem.Detail.Should().Be("More than 3 registrations in 3600 s from this client (127.0.0.2); other clients are not " +
            $"affected. Retry after {retryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.");
        problem.Instance.Should().Be("/register");
        (await limitedPut.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests)).Type.Should().Be("/problems/too-many-requests");
        (await neighbour.RegisterAsync("patient_user")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await flooder.GetAsync("/users/fast_0")).StatusCode.Should().Be(HttpStatusCode.OK, "reads are not registrations");
        (await app.Store.FindAsync(Api.Users.UsernameKey.From("fast_3"))).Should().BeNull();
    }

    [Fact]
    public async Task A_client_creating_teams_too_fast_gets_429_so_it_cannot_fill_the_team_capacity_alone()
    {
        await using var app = new Conflict409App().OnRealSockets()
            .WithSetting("Fairness:TeamCreations:PermitLimit", "2")
            .WithSetting("Fairness:TeamCreations:Window", "01:00:00");
        using var flooder = app.ClientFrom(Flooder);
        using var neighbour = app.ClientFrom(Neighbour);
        (await flooder.SendAsync(CreateTeam("pin_1", "john_doe"))).StatusCode.Should().Be(HttpStatusCode.Created);
        (await flooder.SendAsync(CreateTeam("pin_2", "john_doe"))).StatusCode.Should().Be(HttpStatusCode.Created);

        using var limited = await flooder.SendAsync(CreateTeam("pin_3", "john_doe"));

        var problem = await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        problem.Detail.Should().StartWith("More than 2 team creations in 3600 s from this client (127.0.0.2)");
        limited.Headers.RetryAfter!.Delta.Should().BeGreaterThan(TimeSpan.Zero);
        (await neighbour.SendAsync(CreateTeam("their_team", "jane_smith"))).StatusCode.Should().Be(HttpStatusCode.Created);

        // The teams that pin john_doe are named in the 409, and anyone can delete them: he is never stuck.
        using var blocked = await neighbour.DeleteAsync("/users/john_doe");
        (await blocked.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Extensions["blockedBy"]!.ToString()
            .Should().Be("""["/teams/pin_1","/teams/pin_2"]""");
        (await neighbour.DeleteAsync("/teams/pin_1")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await neighbour.DeleteAsync("/teams/pin_2")).StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await neighbour.DeleteAsync("/users/john_doe")).StatusCode.Should().Be(HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task A_client_paging_too_fast_gets_429_while_another_still_lists()
    {
        await using var app = new Conflict409App().OnRealSockets()
            .WithSetting("Fairness:Listing:PermitLimit", "2")
            .WithSetting("Fairness:Listing:Window", "01:00:00");
        using var flooder = app.ClientFrom(Flooder);
        using var neighbour = app.ClientFrom(Neighbour);
        (await flooder.GetAsync("/users?limit=100")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await flooder.GetAsync("/users?limit=100")).StatusCode.Should().Be(HttpStatusCode.OK);

        using var limited = await flooder.GetAsync("/users?limit=100");

        (await limited.ShouldBeProblemAsync(HttpStatusCode.TooManyRequests)).Detail
            .Should().StartWith("More than 2 user listings in 3600 s from this client (127.0.0.2)");
        (await neighbour.GetAsync("/users?limit=100")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await flooder.GetAsync("/users/john_doe")).StatusCode.Should().Be(HttpStatusCode.OK, "single lookups are cheap and not limited");
    }

    [Fact]
    public async Task A_client_holding_its_maximum_of_idle_connections_cannot_lock_out_another()
    {
        await using var app = new Conflict409App().OnRealSockets().WithSetting("Fairness:ConnectionsPerClient", "3");
        var connections = app.Services.GetRequiredService<ConnectionsPerClient>();
        var held = new List<Socket>();
        try
        {
            // Each held connection completes one request, so the server has surely counted it; then it idles.
            for (var i = 0; i < 3; i++)
            {
                var socket = await app.ConnectFromAsync(Flooder);
                held.Add(socket);
                (await ExchangeAsync(socket, "GET /healthz HTTP/1.1\r\nHost: class\r\n\r\n")).Should().StartWith("HTTP/1.1 200 OK");
            }

            connections.OpenBy(Flooder).Should().Be(3);
            using var oneTooMany = await app.ConnectFromAsync(Flooder);
            var refused = await ExchangeAsync(oneTooMany, "GET /healthz HTTP/1.1\r\nHost: class\r\n\r\n");
            using var neighbour = app.ClientFrom(Neighbour);
            using var served = await neighbour.GetAsync("/users/john_doe");

            refused.Should().StartWith("HTTP/1.1 503 Service Unavailable", "a connection over the client's cap is answered, then closed")
                .And.Contain("Connection: close").And.Contain("Retry-After: 1").And.Contain("application/problem+json");
            served.StatusCode.Should().Be(HttpStatusCode.OK);
            connections.OpenBy(Flooder).Should().Be(3);
        }
        finally
        {
            held.ForEach(socket => socket.Dispose());
        }
    }

    [Fact]
    public async Task A_client_sending_partial_headers_holds_only_its_own_connections()
    {
        await using var app = new Conflict409App().OnRealSockets().WithSetting("Fairness:ConnectionsPerClient", "2");
        var connections = app.Services.GetRequiredService<ConnectionsPerClient>();
        using var first = await app.ConnectFromAsync(Flooder);
        using var second = await app.ConnectFromAsync(Flooder);
        foreach (var socket in new[] { first, second })
        {
            // One whole request first, so the server has surely counted the connection; then a request that never ends.
            (await ExchangeAsync(socket, "GET /healthz HTTP/1.1\r\nHost: class\r\n\r\n")).Should().StartWith("HTTP/1.1 200 OK");
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET /healthz HTTP/1.1\r\nHost: cl"));
        }

        using var third = await app.ConnectFromAsync(Flooder);

        (await ExchangeAsync(third, "GET /healthz HTTP/1.1\r\nHost: class\r\n\r\n")).Should().StartWith("HTTP/1.1 503 Service Unavailable");
        connections.OpenBy(Flooder).Should().Be(2);
        using var neighbour = app.ClientFrom(Neighbour);
        (await neighbour.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
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
            // A reset is a refusal too.
            return "";
        }
    }
}
