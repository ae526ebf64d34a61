using System.Net.Http.Json;
using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;

namespace Conflict409.Shipped.Tests;

/// <summary>
/// Every lesson's recipe, as <c>GET /lessons/{id}</c> serves it, saved to an empty folder and run with its own
/// runtime against the server started as the README says: it must exit 0 and leave its lesson recovered with no
/// mistake on its learner's board. Where a runtime is missing the recipe is reported skipped, saying which.
/// </summary>
public sealed class RecipeTests(ShippedServer server) : IClassFixture<ShippedServer>
{
    /// <summary>A C# recipe is compiled on its first run (<c>dotnet run file.cs</c>): tens of seconds on a busy machine.</summary>
    private static readonly TimeSpan RecipeTimeout = TimeSpan.FromMinutes(3);

    public static TheoryData<string, string> Recipes => new(
        LessonCatalog.All.SelectMany(lesson => lesson.Recipes.Select(recipe => (lesson.Id, recipe.Language))));

    /// <summary>Where a recipe's requests come from: its process connects to the server's loopback address from loopback.</summary>
    private const string RecipeAddress = "127.0.0.1";

    [Theory]
    [MemberData(nameof(Recipes))]
    public async Task Each_recipe_run_with_its_own_runtime_leaves_its_lesson_recovered_with_no_mistake(string lessonId, string language)
    {
        var (runtime, missing) = await RecipeRuntimes.FindAsync(language);
        if (runtime is null)
        {
            TestContext.Current.SendDiagnosticMessage($"Skipping the {language} recipe of {lessonId}: {missing}");
            Assert.Skip(missing!);
        }

        var learner = $"recipe-{language}-{Guid.NewGuid():N}"[..40];
        // From the address the recipe's own process connects from: a Learner name belongs to the address that first
        // sends it, so reading the lesson or the board from another would claim the name away from the recipe.
        using var client = server.ClientFrom(RecipeAddress, learner);
        var lesson = await client.GetFromJsonAsync<Lesson>(LessonEndpoints.PathOf(lessonId), TestContext.Current.CancellationToken);
        var recipe = lesson!.Recipes.Single(recipe => recipe.Language == language);
        var folder = Directory.CreateTempSubdirectory("conflict409-recipe-");
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder.FullName, recipe.File), recipe.Code, TestContext.Current.CancellationToken);

            var (exitCode, output) = await RecipeRuntimes.RunAsync(
                runtime.Program, [.. runtime.Arguments, recipe.File], folder.FullName,
                new Dictionary<string, string> { ["CONFLICT409_URL"] = server.Address.ToString().TrimEnd('/'), ["CONFLICT409_LEARNER"] = learner },
                RecipeTimeout);

            exitCode.Should().Be(0, $"the recipe must recover; it printed:\n{output}");
            output.Should().Contain("→ ").And.Contain("← ", "a recipe prints each request and answer");
            var board = await client.GetFromJsonAsync<ProgressBoard>("/progress", TestContext.Current.CancellationToken);
            var graded = board!.Lessons.Single(view => view.Id == lessonId);
            graded.State.Should().Be(LessonStates.Recovered, output);
            graded.Mistakes.Should().BeEmpty(output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
