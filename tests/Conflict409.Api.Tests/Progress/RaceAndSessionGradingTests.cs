using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Races;
using Conflict409.Api.Shop;
using Conflict409.Api.Tests.Infrastructure;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Progress;

/// <summary>Lessons 6 and 7 on the board: the race run and answered by /register; the session refreshed before re-submitting.</summary>
public sealed class RaceAndSessionGradingTests
{
    private const int Racers = 5;

    private static async Task<RacePlan> RunNaiveBurstAsync(HttpClient client, ObservedClock clock)
    {
        var plan = (await (await client.SendAsync(PlanRace(Racers, thinkTimeMs: 300)))
            .Content.ReadFromJsonAsync<RacePlan>())!;
        var burst = Enumerable.Range(0, Racers).Select(_ => client.SendAsync(RegisterNaively(plan))).ToArray();
        // Every racer has passed the check and waits between check and add: the race is lost by construction.
        await clock.DelaysStartedAsync(Racers, TimeSpan.FromMilliseconds(300));
        clock.Advance(TimeSpan.FromMilliseconds(300));
        (await Task.WhenAll(burst)).Select(response => response.StatusCode).Should().AllBeEquivalentTo(HttpStatusCode.Created);
        return plan;
    }

    [Fact]
    public async Task Lesson_6_a_lost_naive_race_then_the_same_burst_on_register_is_recovered()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithClock(clock);
        using var ada = app.Learner("ada");

        var plan = await RunNaiveBurstAsync(ada, clock);
        var atomic = await Task.WhenAll(Enumerable.Range(0, Racers).Select(_ => ada.RegisterAsync(plan.Username)));

        atomic.Count(response => response.StatusCode == HttpStatusCode.Created).Should().Be(1);
        var board = await ada.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected(
            "check-then-act: recovered, 1 conflict(s), 1 recovery(ies)"), "the burst's 409s are the race's, not blind retries");
        // Said as the learner sees it: the naive endpoint's wrong 201, then /register answering the burst right.
        board.Events.SelectMany(e => e.Judgements).Should().Equal(
            "naive endpoint: duplicate accepted (conflict seen)", "atomic endpoint: one 201, the rest 409 (recovered)");
    }

    [Fact]
    public async Task Lesson_6_a_naive_race_alone_is_a_conflict_seen_not_recovered()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithClock(clock);
        using var ada = app.Learner("ada");

        await RunNaiveBurstAsync(ada, clock);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected("check-then-act: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
    }

    [Fact]
    public async Task Lesson_7_reloading_the_cart_before_checking_out_again_is_recovered()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada");
        var page = await ada.ReadCartAsync();
        (await ada.SendAsync(PostWithFormToken("/shop/cart/items", page.FormToken, new { productId = 2 }))).StatusCode.Should().Be(HttpStatusCode.Created);

        (await ada.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.SendAsync(ReadCart())).StatusCode.Should().Be(HttpStatusCode.OK);
        (await ada.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken))).StatusCode.Should().Be(HttpStatusCode.OK);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected("stale-session: recovered, 1 conflict(s), 1 recovery(ies)"));
    }

    [Fact]
    public async Task Lesson_7_re_submitting_the_stale_checkout_is_a_mistake()
    {
        await using var app = new Conflict409App();
        using var ada = app.Learner("ada");
        var page = await ada.ReadCartAsync();
        (await ada.SendAsync(PostWithFormToken("/shop/cart/items", page.FormToken, new { productId = 2 }))).StatusCode.Should().Be(HttpStatusCode.Created);

        (await ada.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken))).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await ada.SendAsync(PostWithFormToken(ShopEndpoints.CheckoutPath, page.FormToken))).StatusCode.Should().Be(HttpStatusCode.Conflict);

        (await ada.BoardAsync()).Lines().Should().Equal(ProgressApp.Expected(
            "stale-session: conflict-seen, 2 conflict(s), 0 recovery(ies), checkout-without-refresh×1"));
    }
}
