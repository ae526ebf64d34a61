using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;
using Microsoft.Playwright;

namespace Conflict409.Browser.Tests;

public sealed class LessonPageTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_lesson_page_shows_the_recipes_side_by_side_and_the_copy_button_copies_one()
    {
        fixture.SkipUnlessLaunched();
        await using var server = new LiveServer();
        var context = await fixture.Browser!.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1600, Height = 1000 },
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        var page = await context.NewPageAsync();
        var lesson = DuplicateRegistrationLesson.Entry;

        await page.GotoAsync(server.BaseAddress + LessonEndpoints.PagePathOf(lesson.Id));

        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(lesson.Title);
        var recipes = page.Locator(".recipe");
        await Assertions.Expect(recipes).ToHaveCountAsync(Recipe.Languages.Count);
        // Side by side: on a wide screen the recipes share one row.
        var tops = await recipes.EvaluateAllAsync<double[]>("cards => cards.map(card => card.getBoundingClientRect().top)");
        tops.Distinct().Should().ContainSingle("the {0} recipes sit in one row", tops.Length);

        var python = page.Locator(".recipe[data-language='python']");
        await python.Locator("button.copy").ClickAsync();
        await Assertions.Expect(python.Locator("button.copy")).ToHaveTextAsync("Copied");
        (await page.EvaluateAsync<string>("() => navigator.clipboard.readText()"))
            .Should().Be(lesson.Recipes.Single(recipe => recipe.Language == "python").Code);

        var path = Artifacts.ScreenshotPath("lesson-page.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        TestContext.Current.SendDiagnosticMessage($"Screenshot of a lesson page: {path}");
        File.Exists(path).Should().BeTrue();
        await context.DisposeAsync();
    }

    [Fact]
    public async Task Swagger_ui_links_each_graded_lesson_tag_to_its_page()
    {
        fixture.SkipUnlessLaunched();
        await using var server = new LiveServer();
        var page = await fixture.Browser!.NewPageAsync();

        await page.GotoAsync(server.BaseAddress + "/");
        foreach (var lesson in LessonCatalog.All.Where(lesson => lesson.Recipes.Count > 0))
        {
            var link = page.Locator($".opblock-tag-section:has(h3[data-tag='{lesson.Title}']) a[href='{LessonEndpoints.PagePathOf(lesson.Id)}']");
            await Assertions.Expect(link).ToBeVisibleAsync();
        }
    }

    [Fact]
    public async Task The_boards_lesson_card_links_the_lesson_page()
    {
        fixture.SkipUnlessLaunched();
        await using var server = new LiveServer();
        var page = await fixture.Browser!.NewPageAsync();

        await page.GotoAsync(server.BaseAddress + ProgressEndpoints.PagePath + "?learner=browser-recipes");
        var link = page.Locator($"[data-lesson='{VersioningLesson.Entry.Id}'] a.recipes");
        await link.ClickAsync();

        await page.WaitForURLAsync("**" + LessonEndpoints.PagePathOf(VersioningLesson.Entry.Id));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(VersioningLesson.Entry.Title);
    }
}
