using System.Net;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Client;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Conflict409.Api.Tests.Progress;

/// <summary>What the board says of the bundled tour, and of the article's own client.</summary>
public sealed class TourProgressTests
{
    [Fact]
    public async Task The_bundled_tour_is_recovered_on_every_lesson_it_walks_with_no_mistake()
    {
        var clock = new ObservedClock();
        await using var app = new Conflict409App().WithClock(clock);
        // One address throughout: the catalogue's limiter runs on the server's clock, so the tour, having waited
        // Retry-After on it, is served again (issue #19).
        var address = IPAddress.Parse("127.0.0.2");
        // Cookies kept, as the tour's own client keeps them: lesson 7's session is a cookie.
        using var http = new HttpClient(new CookieContainerHandler { InnerHandler = app.Server.CreateHandler(context => context.Connection.RemoteIpAddress = address) })
        {
            BaseAddress = app.Server.BaseAddress,
        };
        http.DefaultRequestHeaders.Add(Learner.HeaderName, "tour");
        var output = new StringWriter();

        var tour = new Tour(new Conflict409Client(http, clock), output).RunAsync();
        clock.Advance(await clock.NextDelayAsync());
        // Lesson 6: the server's clock holds the tour's ten naive racers between check and add until all ten have
        // passed the check, so the race is lost the same way on every run.
        var thinkTime = TimeSpan.FromMilliseconds(300);
        await clock.DelaysStartedAsync(10, thinkTime);
        clock.Advance(thinkTime);
        (await tour).Should().Be(0, output.ToString());

        var board = await http.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected(
            "duplicate-registration: recovered, 1 conflict(s), 1 recovery(ies)",
            "versioning: recovered, 2 conflict(s), 2 recovery(ies)",
            "referenced-resource: recovered, 1 conflict(s), 1 recovery(ies)",
            "idempotency-key: recovered, 1 conflict(s), 1 recovery(ies)",
            "blocking-get: recovered, 1 conflict(s), 1 recovery(ies)",
            "check-then-act: recovered, 1 conflict(s), 1 recovery(ies)",
            "stale-session: recovered, 1 conflict(s), 1 recovery(ies)"));
        board.Lessons.SelectMany(lesson => lesson.Mistakes).Should().BeEmpty();
    }

    [Fact]
    public async Task The_articles_client_registers_prints_the_409_and_stops_so_the_conflict_is_seen_not_recovered()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        // The article's httpx snippet: POST /register, print status and body, stop.
        var response = await client.RegisterAsync("john_doe");
        var printed = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";

        printed.Should().StartWith("409 ");
        var board = await client.BoardAsync();
        board.Lines().Should().Equal(ProgressApp.Expected("duplicate-registration: conflict-seen, 1 conflict(s), 0 recovery(ies)"));
        board.Lessons.Single(lesson => lesson.Id == "duplicate-registration").Mistakes.Should().BeEmpty();
        board.Events.Should().ContainSingle().Which.Judgements.Should().Equal("conflict seen");
    }
}
