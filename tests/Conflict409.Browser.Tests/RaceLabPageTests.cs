using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Conflict409.Browser.Tests;

public sealed class RaceLabPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    /// <summary>
    /// The server's clock for the lab: the naive endpoint's think-time delays all end together once <c>racers</c> of
    /// them have started, so every racer has passed the check before any adds — a gate, not a hope about timing.
    /// </summary>
    private sealed class StartingLineClock(TimeSpan thinkTime, int racers) : FakeTimeProvider(DateTimeOffset.UtcNow)
    {
        private int _started;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            if (dueTime == thinkTime && Interlocked.Increment(ref _started) == racers)
            {
                // Off this thread: the delay that is being created must be complete before its timer fires.
                ThreadPool.QueueUserWorkItem(_ => Advance(thinkTime));
            }

            return timer;
        }
    }

    [Fact]
    public async Task The_lab_races_both_endpoints_and_charts_several_201s_for_the_naive_one_and_one_for_register()
    {
        fixture.SkipUnlessLaunched();
        // Six: the connections Chromium opens to one host over HTTP/1.1, so all six racers are in flight at once.
        const int Racers = 6;
        await using var server = new LiveServer(services =>
            services.AddSingleton<TimeProvider>(new StartingLineClock(TimeSpan.FromMilliseconds(300), Racers)));
        var page = await fixture.Browser!.NewPageAsync();

        await page.GotoAsync(server.BaseAddress + "/lab");
        await page.Locator("#racers").FillAsync(Racers.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#run").ClickAsync();
        await Assertions.Expect(page.Locator("#results")).ToBeVisibleAsync();

        async Task<string> ChartAsync(string endpoint, string status) =>
            (await page.Locator($"#chart text[data-endpoint='{endpoint}'][data-status='{status}']").TextContentAsync())!;
        async Task<string> TallyAsync(string endpoint, string status) =>
            await page.Locator($"#tally tr[data-endpoint='{endpoint}'] td[data-status='{status}']").InnerTextAsync();

        page.Url.Should().EndWith("/lab/index.html");
        (await ChartAsync("naive", "201")).Should().Be("6", "every racer passed the check before any added");
        (await ChartAsync("naive", "409")).Should().Be("0");
        (await ChartAsync("atomic", "201")).Should().Be("1");
        (await ChartAsync("atomic", "409")).Should().Be("5");
        (await TallyAsync("naive", "holds")).Should().Be("6 copies in the naive list");
        (await TallyAsync("atomic", "holds")).Should().Be("1 user");
        (await TallyAsync("atomic", "other")).Should().Be("0");
        (await page.Locator("#timeline rect").CountAsync()).Should().Be(2 * Racers);
        (await page.Locator("#timeline rect[data-endpoint='naive'][data-status='201']").CountAsync()).Should().Be(Racers);

        var path = Artifacts.ScreenshotPath("race-lab.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"Screenshot of the race lab: {path}");
        File.Exists(path).Should().BeTrue();
    }

    [Fact]
    public async Task The_lab_shows_the_400_problem_for_a_race_out_of_range()
    {
        fixture.SkipUnlessLaunched();
        await using var server = new LiveServer();
        var page = await fixture.Browser!.NewPageAsync();
        await page.GotoAsync(server.BaseAddress + "/lab");

        // The form's own bounds stop the browser from sending 500; a script can still send it, and the server says 400.
        await page.Locator("#racers").EvaluateAsync("input => { input.removeAttribute('max'); input.value = '500'; }");
        await page.Locator("#run").ClickAsync();

        await Assertions.Expect(page.Locator("#status.error")).ToContainTextAsync("400 One or more validation errors occurred.");
        (await page.Locator("#results").IsHiddenAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task The_lab_page_and_its_script_are_served_from_the_server_itself()
    {
        fixture.SkipUnlessLaunched();
        await using var server = new LiveServer();
        var page = await fixture.Browser!.NewPageAsync();
        var hosts = new List<string>();
        page.Request += (_, request) => hosts.Add(new Uri(request.Url).Authority);

        await page.GotoAsync(server.BaseAddress + "/lab");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        hosts.Should().NotBeEmpty().And.OnlyContain(host => host == new Uri(server.BaseAddress).Authority, "nothing comes from a CDN");
        (await page.Locator("h1").InnerTextAsync()).Should().Contain("Race lab");
    }
}
