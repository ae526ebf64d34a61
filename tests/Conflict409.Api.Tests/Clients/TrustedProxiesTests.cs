using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Clients;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Tests.Progress;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Tests.Clients;

/// <summary>
/// Behind a reverse proxy every learner still counts as itself: the X-Forwarded-For of a proxy named in
/// ForwardedHeaders:KnownProxies (or KnownNetworks) is the client's address for every per-client limit and board;
/// anyone else's is ignored. Real Kestrel and real source addresses: 127.0.0.2 plays the proxy.
/// </summary>
public sealed class TrustedProxiesTests
{
    private const string Proxy = "127.0.0.2";
    private const string Stranger = "127.0.0.3";
    private const string Ada = "203.0.113.10";
    private const string Bea = "203.0.113.11";

    private static Conflict409App BehindProxy(int registrations = 1_000_000) => new Conflict409App()
        .OnRealSockets()
        .WithSetting("ForwardedHeaders:KnownProxies:0", Proxy)
        .WithSetting("Fairness:Registrations:PermitLimit", $"{registrations}");

    private static HttpRequestMessage Register(string username, string forwardedFor) =>
        new(HttpMethod.Post, "/register")
        {
            Content = JsonContent.Create(new { username }),
            Headers = { { "X-Forwarded-For", forwardedFor } },
        };

    private static async Task<string[]> ClassLearnersAsync(HttpClient client) =>
        [.. (await client.GetFromJsonAsync<ClassView>("/progress/class"))!.Learners.Select(row => row.Learner)];

    [Fact]
    public async Task Two_learners_forwarded_by_a_trusted_proxy_get_separate_registration_budgets()
    {
        await using var app = BehindProxy(registrations: 1);
        using var proxy = app.ClientFrom(Proxy);

        using var adaFirst = await proxy.SendAsync(Register("ada_first", Ada));
        using var adaSecond = await proxy.SendAsync(Register("ada_second", Ada));
        using var beaFirst = await proxy.SendAsync(Register("bea_first", Bea));

        adaFirst.StatusCode.Should().Be(HttpStatusCode.Created);
        adaSecond.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await adaSecond.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail
            .Should().Contain($"from this client ({Ada})");
        beaFirst.StatusCode.Should().Be(HttpStatusCode.Created, "Bea's budget is her own, not the proxy's");
    }

    [Fact]
    public async Task Two_learners_forwarded_by_a_trusted_proxy_get_separate_boards()
    {
        await using var app = BehindProxy();
        using var proxy = app.ClientFrom(Proxy);

        (await proxy.SendAsync(Register("john_doe", Ada))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await proxy.SendAsync(Register("john_doe", Ada))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await proxy.SendAsync(Register("john_doe", Bea))).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await ClassLearnersAsync(proxy)).Should().Equal(Ada, Bea);
        (await proxy.BoardAsync(Ada)).Lines()[0].Should().Be("duplicate-registration: conflict-seen, 2 conflict(s), 0 recovery(ies), blind-retry×1");
        (await proxy.BoardAsync(Bea)).Lines()[0].Should().Be("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)");
        (await proxy.BoardAsync(Proxy)).Version.Should().Be(0, "the proxy itself sent nothing of its own");
    }

    [Fact]
    public async Task A_client_that_is_not_a_named_proxy_is_its_own_address_whatever_its_x_forwarded_for_says()
    {
        await using var app = BehindProxy(registrations: 1);
        using var stranger = app.ClientFrom(Stranger);

        using var first = await stranger.SendAsync(Register("first_try", Ada));
        using var second = await stranger.SendAsync(Register("second_try", Bea));

        first.StatusCode.Should().Be(HttpStatusCode.Created);
        second.StatusCode.Should().Be(HttpStatusCode.TooManyRequests, "a forged address must not buy a fresh budget");
        (await second.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ProblemDetails>())!.Detail
            .Should().Contain($"from this client ({Stranger})");
        (await ClassLearnersAsync(stranger)).Should().Equal(Stranger);
    }

    [Fact]
    public async Task Addresses_a_client_wrote_itself_at_the_left_of_a_trusted_proxys_list_are_ignored()
    {
        await using var app = BehindProxy();
        using var proxy = app.ClientFrom(Proxy);

        // What nginx's $proxy_add_x_forwarded_for sends when the client forged the header: its forgery, then the
        // address nginx saw. The list is read from the right and stops at the first address that is not a proxy.
        (await proxy.SendAsync(Register("john_doe", $"198.51.100.66, {Ada}"))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        // A chain of named proxies is walked through: here the proxy forwards for itself, which forwards for Bea.
        (await proxy.SendAsync(Register("john_doe", $"{Bea}, {Proxy}"))).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await ClassLearnersAsync(proxy)).Should().Equal(Ada, Bea);
    }

    [Fact]
    public async Task A_named_network_of_proxies_is_trusted_like_a_named_proxy()
    {
        await using var app = new Conflict409App().OnRealSockets().WithSetting("ForwardedHeaders:KnownNetworks:0", "127.0.0.0/30");
        using var inside = app.ClientFrom(Proxy);
        using var outside = app.ClientFrom("127.0.0.4");

        (await inside.SendAsync(Register("john_doe", Ada))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await outside.SendAsync(Register("john_doe", Bea))).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await ClassLearnersAsync(inside)).Should().Equal("127.0.0.4", Ada);
    }

    [Fact]
    public async Task By_default_nobody_is_trusted_not_even_loopback_so_nobody_can_forge_an_address()
    {
        await using var app = new Conflict409App().OnRealSockets();
        using var client = app.ClientFrom(Proxy);

        (await client.SendAsync(Register("john_doe", Ada))).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await ClassLearnersAsync(client)).Should().Equal(Proxy);
        app.Services.GetRequiredService<IOptions<TrustedProxiesOptions>>().Value.KnownProxies.Should().BeEmpty();
        app.Services.GetRequiredService<IOptions<TrustedProxiesOptions>>().Value.KnownNetworks.Should().BeEmpty();
        app.Services.GetRequiredService<TrustedProxies>().IsTrusted(IPAddress.Loopback).Should().BeFalse();
        var forwarded = app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value;
        forwarded.KnownProxies.Should().BeEmpty("the framework's default trusts ::1");
        forwarded.KnownIPNetworks.Should().BeEmpty("the framework's default trusts 127.0.0.0/8");
    }

    [Fact]
    public async Task A_trusted_proxy_is_not_held_to_one_clients_connection_cap_but_others_still_are()
    {
        await using var app = BehindProxy().WithSetting("Fairness:ConnectionsPerClient", "1");
        var connections = app.Services.GetRequiredService<ConnectionsPerClient>();
        // Separate clients: each holds a connection of its own, as a proxy opens one per learner it forwards.
        var clients = Enumerable.Range(0, 4).Select(_ => app.ClientFrom(Proxy)).ToArray();
        using var stranger = app.ClientFrom(Stranger);
        using var strangerAgain = app.ClientFrom(Stranger);
        try
        {
            var responses = await Task.WhenAll(clients.Select((client, i) => client.SendAsync(Register("john_doe", $"203.0.113.{20 + i}"))));

            responses.Select(response => response.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Conflict);
            connections.OpenBy(Proxy).Should().Be(0, "a trusted proxy's connections are not counted");
            (await stranger.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK);
            connections.OpenBy(Stranger).Should().Be(1);
            using var refused = await strangerAgain.GetAsync("/healthz");
            refused.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable, "anyone else still holds one connection at most");
            refused.Headers.ConnectionClose.Should().BeTrue();
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
