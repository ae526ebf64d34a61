using System.Net;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Conflict409.Api.Tests.Client;

/// <summary>The client's race command (lesson 6) and its recovery from a stale session (lesson 7), and the tour's steps for both.</summary>
public sealed class RaceAndSessionClientTests
{
    private const int Racers = 20;
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(250);

    [Fact]
    public async Task The_race_reports_a_201_per_naive_racer_that_passed_the_check_and_exactly_one_from_register()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithServices(services => services.AddSingleton<TimeProvider>(clock));
        StartingLineUserStore.Install(app, Racers);
        var client = new Conflict409Client(app.CreateClient());

        var race = client.RaceAsync(Racers, (int)ThinkTime.TotalMilliseconds);
        await clock.DelaysStartedAsync(Racers, ThinkTime);
        clock.Advance(ThinkTime);
        var report = await race;

        report!.Naive.Should().HaveCount(Racers).And.OnlyContain(answer => answer.Status == HttpStatusCode.Created);
        RaceReport.Count(report.Atomic, HttpStatusCode.Created).Should().Be(1);
        RaceReport.Count(report.Atomic, HttpStatusCode.Conflict).Should().Be(Racers - 1);
        report.AtomicHeld.Should().BeTrue();
        report.Outcome.Should().Be(new RaceOutcome(report.Plan.Username, Racers, true));
        report.ToTable().Split(Environment.NewLine).Should().Equal(
            $"Race: 20 simultaneous registrations of {report.Plan.Username} to each endpoint (naive think time 250 ms)",
            "  endpoint                                    201   409  other  the server now holds",
            "  POST /naive/register (deliberately wrong)    20     0      0  20 copies in your naive list",
            "  POST /register                                1    19      0  1 user");
    }

    [Fact]
    public async Task A_race_the_server_refuses_reports_its_400_and_sends_nothing()
    {
        await using var app = new Conflict409App();
        var client = new Conflict409Client(app.CreateClient());
        ApiResult<RacePlan>? refusal = null;

        var report = await client.RaceAsync(500, refused: plan => refusal = plan);

        report.Should().BeNull();
        refusal!.Status.Should().Be(HttpStatusCode.BadRequest);
        refusal.Problem!.Title.Should().Be("One or more validation errors occurred.");
        (await app.Store.CountAsync()).Should().Be(2, "no racer was sent");
    }

    [Fact]
    public async Task A_stale_session_checkout_is_recovered_by_rereading_the_cart_then_submitting_again()
    {
        await using var app = new Conflict409App();
        // The factory's client keeps cookies, as the tour's does: the session is the cookie.
        var client = new Conflict409Client(app.CreateClient());
        var page = (await client.GetCartAsync()).Value!;
        (await client.AddToCartAsync(2, page.FormToken)).Status.Should().Be(HttpStatusCode.Created);

        ApiResult<Order>? stale = null;
        var recovered = await client.CheckoutRecoveringAsync(page.FormToken, onStale: result => stale = result);

        stale!.Status.Should().Be(HttpStatusCode.Conflict);
        stale.IsProblem(ProblemTypes.StaleSession).Should().BeTrue();
        stale.Problem!.Extension("expected").Should().Be("""{"revision":1,"items":1,"total":1.5}""");
        stale.Problem.Extension("current").Should().Be("""{"revision":2,"items":2,"total":4.5}""");
        recovered.Status.Should().Be(HttpStatusCode.OK);
        recovered.Value!.Items.Select(item => item.Id).Should().Equal(1, 2);
    }

    [Fact]
    public async Task The_tour_steps_of_lessons_6_and_7_recover_and_say_what_happened()
    {
        await using var app = new Conflict409App().WithSetting("RaceLab:DefaultThinkTimeMs", "0");
        using var transcript = new StringWriter();
        var tour = new Tour(new Conflict409Client(app.CreateClient()), transcript);

        // Lesson 6's step passes on /register's exactly-one-201, whatever the naive endpoint's timing gives.
        (await tour.CheckThenActAsync()).Should().BeTrue();
        (await tour.StaleSessionAsync()).Should().BeTrue();

        var text = transcript.ToString();
        text.Should().Contain("Lesson 6 — check-then-act").And.Contain("  POST /register                                1     9      0  1 user");
        text.Should().Contain("Lesson 7 — a stale session while scraping")
            .And.Contain("409: the session saw {\"revision\":1,\"items\":1,\"total\":1.5}, the cart is now {\"revision\":2,\"items\":2,\"total\":4.5}.");
    }
}
