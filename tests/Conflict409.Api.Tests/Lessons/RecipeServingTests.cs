using System.Net;
using System.Net.Http.Json;
using System.Text.Encodings.Web;
using System.Text.Json;
using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;
using Conflict409.Api.Shop;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;

namespace Conflict409.Api.Tests.Lessons;

/// <summary>The recipes as the server serves them: in each lesson's JSON and on its page. Running them is the shipped tier's job.</summary>
public sealed class RecipeServingTests
{
    [Fact]
    public async Task Every_graded_lesson_serves_one_recipe_per_language_and_the_others_none()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        foreach (var lesson in LessonCatalog.All)
        {
            var served = (await client.GetFromJsonAsync<Lesson>(LessonEndpoints.PathOf(lesson.Id)))!;
            if (GradedOperations.Lessons.Contains(lesson))
            {
                served.Recipes.Select(recipe => recipe.Language).Should().Equal(Recipe.Languages.Select(language => language.Language), lesson.Id);
                served.Recipes.Should().AllSatisfy(recipe =>
                {
                    recipe.Code.Should().Contain("CONFLICT409_URL").And.Contain("CONFLICT409_LEARNER").And.Contain(recipe.File.Split('.')[0]);
                    recipe.File.Should().EndWith(Recipe.Languages.Single(language => language.Language == recipe.Language).Extension);
                });
            }
            else
            {
                served.Recipes.Should().BeEmpty(lesson.Id);
            }
        }
    }

    [Fact]
    public void Every_recipe_file_in_a_feature_folder_is_served_by_exactly_one_lesson()
    {
        var embedded = Recipe.EmbeddedFiles.Select(name => name.Split('/')[^1]).ToArray();
        var declared = LessonCatalog.All.SelectMany(lesson => lesson.Recipes).Select(recipe => recipe.File).ToArray();

        embedded.Should().NotBeEmpty().And.OnlyHaveUniqueItems();
        declared.Should().BeEquivalentTo(embedded, "a recipe no lesson names is never served, nor run by the tests");
    }

    [Fact]
    public async Task The_recipes_json_has_language_file_and_code_for_each()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var lesson = JsonDocument.Parse(await client.GetStringAsync(LessonEndpoints.PathOf(DuplicateRegistrationLesson.Entry.Id)));

        var first = lesson.RootElement.GetProperty("recipes")[0];
        first.EnumerateObject().Select(member => member.Name).Should().Equal("language", "file", "code");
        first.GetProperty("file").GetString().Should().Be("lesson0.py");
    }

    [Fact]
    public async Task A_lesson_page_shows_every_recipe_encoded_with_its_run_command_and_a_copy_button()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var lesson = StaleSessionLesson.Entry;

        using var response = await client.GetAsync(LessonEndpoints.PagePathOf(lesson.Id));

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var html = await response.Content.ReadAsStringAsync();
        html.Should().Contain(HtmlEncoder.Default.Encode(lesson.Title)).And.Contain(HtmlEncoder.Default.Encode(lesson.Recovery));
        foreach (var recipe in lesson.Recipes)
        {
            html.Should().Contain(HtmlEncoder.Default.Encode(recipe.Code), "the code is shown as text, never as markup");
            html.Should().Contain($"{Recipe.RunCommands[recipe.Language]} {recipe.File}");
        }

        html.Split("class=\"copy\"").Length.Should().Be(lesson.Recipes.Count + 1, "one copy button per recipe");
    }

    [Fact]
    public async Task The_page_of_an_unknown_lesson_is_a_404_problem()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        var problem = await (await client.GetAsync(LessonEndpoints.PagePathOf("nope"))).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        problem.Detail.Should().Be("There is no lesson 'nope'. GET /lessons lists them.");
    }

    [Fact]
    public async Task Each_graded_lessons_swagger_tag_links_its_page()
    {
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync("/swagger/v1/swagger.json"));
        var tags = document.RootElement.GetProperty("tags").EnumerateArray()
            .ToDictionary(tag => tag.GetProperty("name").GetString()!, tag => tag.GetProperty("description").GetString()!);

        foreach (var lesson in LessonCatalog.All.Where(lesson => lesson.Recipes.Count > 0))
        {
            tags[lesson.Title].Should().Contain($"]({LessonEndpoints.PagePathOf(lesson.Id)})");
        }
    }
}
