using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Clients;
using Conflict409.Api.Progress;
using Microsoft.AspNetCore.Mvc;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// The shipped server behind a reverse proxy, at the shipped limits: learners forwarded by the proxy it was told to
/// trust are each themselves; anyone else's X-Forwarded-For is ignored.
/// </summary>
public sealed class ReverseProxyTests(ShippedServerBehindProxy server) : IClassFixture<ShippedServerBehindProxy>
{
    private static HttpRequestMessage Register(string username, string forwardedFor) =>
        new(HttpMethod.Post, "/register")
        {
            Content = JsonContent.Create(new { username }),
            Headers = { { "X-Forwarded-For", forwardedFor } },
        };

    private async Task<IEnumerable<string>> ClassLearnersAsync()
    {
        using var teacher = server.ClientFrom(server.NextLearnerAddress());
        var view = await teacher.GetFromJsonAsync<ClassView>("/progress/class", TestContext.Current.CancellationToken);
        return view!.Learners.Select(row => row.Learner);
    }

    [Fact]
    public async Task Two_learners_forwarded_by_the_trusted_proxy_get_separate_registration_budgets_and_boards()
    {
        const string Ada = "203.0.113.20";
        const string Bea = "203.0.113.21";
        using var proxy = server.ClientFrom(ShippedServerBehindProxy.ProxyAddress);
        var budget = new FairnessOptions().Registrations.PermitLimit;

        // Ada spends her whole shipped registration budget at once, through the proxy.
        var spent = await Task.WhenAll(Enumerable.Range(0, budget)
            .Select(i => proxy.SendAsync(Register($"ada_{i}_{Guid.NewGuid():N}"[..30], Ada), TestContext.Current.CancellationToken)));
        using var adaOver = await proxy.SendAsync(Register("ada_over", Ada), TestContext.Current.CancellationToken);
        using var bea = await proxy.SendAsync(Register("john_doe", Bea), TestContext.Current.CancellationToken);

        spent.Count(response => response.StatusCode == HttpStatusCode.Created).Should().Be(budget);
        adaOver.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await adaOver.Content.ReadFromJsonAsync<ProblemDetails>(TestContext.Current.CancellationToken))!.Detail
            .Should().Contain($"from this client ({Ada})");
        bea.StatusCode.Should().Be(HttpStatusCode.Conflict, "Bea's budget is her own: she reaches the store and meets a taken name");
        var learners = await ClassLearnersAsync();
        learners.Should().Contain([Ada, Bea]).And.NotContain(ShippedServerBehindProxy.ProxyAddress);
        foreach (var response in spent)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task A_client_that_is_not_the_trusted_proxy_is_its_own_address_whatever_its_x_forwarded_for_says()
    {
        var address = server.NextLearnerAddress();
        using var stranger = server.ClientFrom(address);

        using var response = await stranger.SendAsync(Register("john_doe", "203.0.113.99"), TestContext.Current.CancellationToken);

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ClassLearnersAsync()).Should().Contain(address).And.NotContain("203.0.113.99");
    }
}
