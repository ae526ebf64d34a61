using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;
using Microsoft.Playwright;

namespace Conflict409.Browser.Tests;

public sealed class ProgressBoardPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_board_changes_live_as_the_learner_sends_requests_without_reloading()
    {
        fixture.SkipUnlessLaunched();
        await using var server = new LiveServer();
        var page = await fixture.Browser!.NewPageAsync();
        using var learner = new HttpClient { BaseAddress = new Uri(server.BaseAddress) };
        learner.DefaultRequestHeaders.Add(Learner.HeaderName, "browser-ada");

        await page.GotoAsync(server.BaseAddress + ProgressEndpoints.PagePath + "?learner=browser-ada");
        var lesson0 = page.Locator("[data-lesson='duplicate-registration']");
        await Assertions.Expect(lesson0).ToHaveAttributeAsync("data-state", "not-started");
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("Board of browser-ada (known by header)");
        // Anything the page keeps in memory survives only if the page is never reloaded.
        await page.EvaluateAsync("() => window.notReloaded = true");

        (await learner.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await learner.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        await Assertions.Expect(lesson0).ToHaveAttributeAsync("data-state", "conflict-seen");
        await Assertions.Expect(lesson0.Locator("[data-mistake='blind-retry']")).ToContainTextAsync("×1");
        (await learner.PostAsJsonAsync("/register", new { username = "browser_ada" })).StatusCode.Should().Be(HttpStatusCode.Created);
        await Assertions.Expect(lesson0).ToHaveAttributeAsync("data-state", "recovered");
        await Assertions.Expect(page.Locator("#events li")).ToHaveCountAsync(3);

        (await page.EvaluateAsync<bool>("() => window.notReloaded === true")).Should().BeTrue();
        (await lesson0.Locator(".mistake").InnerTextAsync()).Should().Contain(DuplicateRegistrationJudge.BlindRetry.Fix);
        var path = Artifacts.ScreenshotPath("progress-board-live.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"Screenshot of the live board: {path}");
        File.Exists(path).Should().BeTrue();
    }

    [Fact]
    public async Task Swagger_ui_links_the_board()
    {
        fixture.SkipUnlessLaunched();
        await using var server = new LiveServer();
        var page = await fixture.Browser!.NewPageAsync();

        await page.GotoAsync(server.BaseAddress + "/");
        var link = page.Locator($".swagger-ui .info .description a[href='{ProgressEndpoints.PagePath}']");
        await Assertions.Expect(link).ToBeVisibleAsync();
    }
}
