using System.Collections.Frozen;
using System.Reflection;

namespace Conflict409.Api.Lessons;

/// <summary>
/// A short, complete program that provokes a lesson's conflict and recovers the right way, in one language. The
/// programs are real files in the lesson's feature folder (<c>Users/Recipes/lesson0.py</c>), embedded in the
/// assembly under that path; a lesson's catalogue entry names its set (<see cref="For"/>), nothing else lists them.
/// </summary>
/// <param name="Language">"python", "javascript", "csharp" or "curl".</param>
/// <param name="File">The file name to save it as, e.g. <c>lesson0.py</c>.</param>
/// <param name="Code">The program.</param>
public sealed record Recipe(string Language, string File, string Code)
{
    /// <summary>Where the recipes sit in a feature folder, and the prefix of their embedded resource names.</summary>
    public const string Folder = "Recipes";

    /// <summary>Every language a graded lesson has a recipe in, by file extension, in the order they are shown.</summary>
    public static readonly IReadOnlyList<(string Extension, string Language)> Languages =
        [(".py", "python"), (".mjs", "javascript"), (".cs", "csharp"), (".sh", "curl")];

    /// <summary>What runs each language's recipe, as the lesson page tells a learner: the file name follows.</summary>
    public static readonly FrozenDictionary<string, string> RunCommands = new Dictionary<string, string>
    {
        ["python"] = "python3", // with httpx: pip install httpx, or Debian's python3-httpx
        ["javascript"] = "node", // 18 or later: fetch is built in
        ["csharp"] = "dotnet run", // .NET 10 runs a single .cs file
        ["curl"] = "bash",
    }.ToFrozenDictionary();

    private static readonly Assembly Assembly = typeof(Recipe).Assembly;

    /// <summary>The embedded resource names of every recipe file, as the project embeds them (feature/Recipes/file).</summary>
    public static IEnumerable<string> EmbeddedFiles =>
        Assembly.GetManifestResourceNames().Where(name => name.Split('/') is [_, Folder, _]);

    /// <summary>
    /// The recipes in <paramref name="feature"/>'s <see cref="Folder"/> named <paramref name="name"/>, one per
    /// <see cref="Languages"/>: <c>For("Users", "lesson0")</c> reads <c>Users/Recipes/lesson0.py</c>, <c>.js</c>, ….
    /// </summary>
    public static IReadOnlyList<Recipe> For(string feature, string name) =>
        [.. Languages.Select(language => new Recipe(language.Language, name + language.Extension, Read($"{feature}/{Folder}/{name}{language.Extension}")))];

    private static string Read(string resource)
    {
        using var stream = Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The recipe {resource} is not embedded: is the file there?");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
