using System.Net;
using Conflict409.Api.Progress;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Client;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Conflict409.Api.Tests.Progress;

/// <summary>The client's bundled tour, run once against a fresh server on a fake clock, as learner "tour".</summary>
public static class BundledTour
{
    public sealed record Run(int Exit, string Output, ProgressBoard Board);

    public static async Task<Run> RunAsync()
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
        var exit = await tour;
        return new Run(exit, output.ToString(), await http.BoardAsync());
    }
}
