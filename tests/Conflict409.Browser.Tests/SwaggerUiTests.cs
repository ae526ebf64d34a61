using Conflict409.Api.Lessons;
using Conflict409.Api.Users;
using Microsoft.Playwright;

namespace Conflict409.Browser.Tests;

public sealed class SwaggerUiTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<(LiveServer Server, IPage Page)> OpenSwaggerUiAsync()
    {
        fixture.SkipUnlessLaunched();
        var server = new LiveServer();
        var page = await fixture.Browser!.NewPageAsync();
        await page.GotoAsync(server.BaseAddress + "/");
        await page.Locator(".swagger-ui .info .title").WaitForAsync();
        return (server, page);
    }

    private static async Task<ILocator> SendRegisterAsync(IPage page, string username)
    {
        // POST /register is listed under lesson 0 and lesson 3; the first is enough.
        var operation = page.Locator(".opblock-post:has(.opblock-summary-path[data-path='/register'])").First;
        if (!await operation.Locator("button.execute").IsVisibleAsync())
        {
            await operation.Locator(".opblock-summary").ClickAsync();
        }

        // Clear the previous try first, so the response read below cannot be the last one's.
        var clear = operation.Locator("button.btn-clear");
        if (await clear.IsVisibleAsync())
        {
            await clear.ClickAsync();
            await Assertions.Expect(operation.Locator(".live-responses-table")).ToHaveCountAsync(0);
        }

        await operation.Locator("textarea.body-param__text").FillAsync($$"""{ "username": "{{username}}" }""");
        await operation.Locator("button.execute").ClickAsync();
        var response = operation.Locator(".live-responses-table .response").First;
        await response.WaitForAsync();
        return response;
    }

    [Fact]
    public async Task The_root_lands_on_swagger_ui_which_explains_409_and_lists_the_lessons()
    {
        var (server, page) = await OpenSwaggerUiAsync();
        await using var _ = server;

        page.Url.Should().EndWith("/swagger/index.html");
        (await page.Locator(".swagger-ui .info .title").InnerTextAsync()).Should().Contain("Conflict409");
        (await page.Locator(".swagger-ui .info .description").InnerTextAsync())
            .Should().Contain("HTTP 409 Conflict").And.Contain(VersioningLesson.Entry.Title);

        // Each lesson is linked by its Swagger UI deep link, '#/' and the tag.
        var hrefs = await page.Locator(".swagger-ui .info .description a[href^='#/']").EvaluateAllAsync<string[]>(
            "links => links.map(link => link.getAttribute('href'))");
        hrefs.Select(href => Uri.UnescapeDataString(href[2..])).Should().Equal(LessonCatalog.All.Select(lesson => lesson.Title));
    }

    [Fact]
    public async Task Every_lesson_tag_and_its_description_are_visible()
    {
        var (server, page) = await OpenSwaggerUiAsync();
        await using var _ = server;

        foreach (var lesson in LessonCatalog.All)
        {
            var section = page.Locator($".opblock-tag-section:has(h3[data-tag='{lesson.Title}'])");
            await Assertions.Expect(section.Locator("h3")).ToBeVisibleAsync();
            (await section.Locator("h3").InnerTextAsync()).Should().Contain(lesson.Title);
            (await section.Locator("h3").InnerTextAsync()).Should().Contain(lesson.Recovery[..40]);
        }
    }

    [Fact]
    public async Task Sending_john_doe_then_a_fresh_name_from_try_it_out_shows_409_then_201()
    {
        var (server, page) = await OpenSwaggerUiAsync();
        await using var _ = server;

        var conflict = await SendRegisterAsync(page, "john_doe");
        (await conflict.Locator(".response-col_status").InnerTextAsync()).Trim().Should().StartWith("409");
        var body = await conflict.Locator(".response-col_description").InnerTextAsync();
        body.Should().Contain("Username already exists.").And.Contain("/problems/username-taken");
        var path = Artifacts.ScreenshotPath("swagger-ui-register-409.png");
        await conflict.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        TestContext.Current.SendDiagnosticMessage($"Screenshot of the 409: {path}");
        File.Exists(path).Should().BeTrue();

        // The same form, a second try: nothing pre-filled (such as an Idempotency-Key) may leak into it.
        var created = await SendRegisterAsync(page, "browser_user");
        (await created.Locator(".response-col_status").InnerTextAsync()).Trim().Should().StartWith("201");
        (await created.Locator(".response-col_description").InnerTextAsync()).Should().Contain("User registered successfully.");
    }

    [Fact]
    public async Task The_request_example_is_prefilled_and_problem_type_links_are_clickable()
    {
        var (server, page) = await OpenSwaggerUiAsync();
        await using var _ = server;
        var operation = page.Locator(".opblock-post:has(.opblock-summary-path[data-path='/register'])").First;
        await operation.Locator(".opblock-summary").ClickAsync();

        // A fresh name for this page load, so learners trying the example at once do not collide.
        (await operation.Locator("textarea.body-param__text").InputValueAsync()).Should().MatchRegex("\"new_[0-9a-f]{8}\"");
        var link = operation.Locator(".opblock-description-wrapper a[href='/problems/username-taken']");
        await Assertions.Expect(link).ToBeVisibleAsync();
        // Swagger UI opens description links in a new tab.
        var explanation = await page.RunAndWaitForPopupAsync(() => link.ClickAsync());
        await explanation.WaitForLoadStateAsync();
        explanation.Url.Should().EndWith("/problems/username-taken");
        (await explanation.ContentAsync()).Should().Contain("Username already exists.");
    }
}
