using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Progress;
using Microsoft.Playwright;

namespace Conflict409.Browser.Tests;

public sealed class ClassViewPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_class_view_shows_each_learner_and_changes_live_without_reloading()
    {
        fixture.SkipUnlessLaunched();
        await using var server = new LiveServer();
        var page = await fixture.Browser!.NewPageAsync();
        using var ada = Learner(server, "class-ada");
        using var bea = Learner(server, "class-bea");
        (await ada.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);

        await page.GotoAsync(server.BaseAddress + ClassEndpoints.PagePath);
        var adaLesson0 = page.Locator("tr[data-learner='class-ada'] td[data-lesson='duplicate-registration']");
        await Assertions.Expect(adaLesson0).ToHaveAttributeAsync("data-state", "conflict-seen");
        await page.EvaluateAsync("() => window.notReloaded = true");

        // Ada retries blindly (a mistake); Bea joins and recovers: the table follows without a reload.
        (await ada.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await bea.PostAsJsonAsync("/register", new { username = "john_doe" })).StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await bea.PostAsJsonAsync("/register", new { username = "class_bea" })).StatusCode.Should().Be(HttpStatusCode.Created);
        await Assertions.Expect(adaLesson0).ToHaveAttributeAsync("data-mistakes", "1");
        await Assertions.Expect(adaLesson0).ToContainTextAsync("⚠ 1");
        var beaLesson0 = page.Locator("tr[data-learner='class-bea'] td[data-lesson='duplicate-registration']");
        await Assertions.Expect(beaLesson0).ToHaveAttributeAsync("data-state", "recovered");
        await Assertions.Expect(page.Locator("#learners tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#summary")).ToHaveTextAsync("2 learner(s).");
        (await page.Locator("tr[data-learner='class-ada'] a").GetAttributeAsync("href")).Should().Be("/progress.html?learner=class-ada");

        (await page.EvaluateAsync<bool>("() => window.notReloaded === true")).Should().BeTrue();
        var path = Artifacts.ScreenshotPath("class-view.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"Screenshot of the class view: {path}");
        File.Exists(path).Should().BeTrue();
    }

    private static HttpClient Learner(LiveServer server, string name)
    {
        var client = new HttpClient { BaseAddress = new Uri(server.BaseAddress) };
        client.DefaultRequestHeaders.Add(Api.Progress.Learner.HeaderName, name);
        return client;
    }
}
