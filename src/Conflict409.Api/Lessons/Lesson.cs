using System.Text.Json.Serialization;

namespace Conflict409.Api.Lessons;

/// <summary>One cause of 409 (or of a status that is confused with it), taught by live endpoints.</summary>
/// <param name="Id">Stable identifier, e.g. "versioning".</param>
/// <param name="Title">Also the Swagger UI tag that groups the lesson's endpoints.</param>
/// <param name="Cause">The cause of 409 the lesson illustrates, as the article names it.</param>
/// <param name="Explanation">What happens and why; becomes the tag's description in Swagger UI.</param>
/// <param name="Requests">The requests that trigger it, in order, as a learner would send them.</param>
/// <param name="Recovery">How a well-behaved client recovers.</param>
/// <param name="ProblemTypes">The problem type URIs the lesson's failures carry.</param>
/// <param name="Standard">Which standard or system the semantics follow; "non-standard" where none does.</param>
/// <param name="Endpoints">
/// The names (<c>WithName</c>) of the endpoints the lesson uses: each is tagged with <see cref="Title"/> in Swagger UI
/// by <see cref="LessonTags.WithLessonTags{TBuilder}"/>. Not part of <c>GET /lessons</c>.
/// </param>
/// <param name="Fixtures">
/// The resources a learner works on, by placeholder: in the catalogue each maps to a name prefix (<c>"user": "editor_"</c>)
/// and <see cref="Requests"/> write <c>{user}</c>; each reading of the lesson (<see cref="HandOutFixtures"/>) fills in
/// fresh names, so a class following the steps at once never edits, deletes or claims one another's resources.
/// The seeded users stay shared on purpose: two learners wanting one name is lesson 0.
/// </param>
/// <param name="Recipes">
/// Complete programs, one per language, that provoke the lesson's conflict and recover; empty for a lesson the board
/// does not grade. Each reads its fresh names from the lesson's <see cref="Fixtures"/> or makes its own.
/// </param>
public sealed record Lesson(
    string Id,
    string Title,
    string Cause,
    string Explanation,
    IReadOnlyList<string> Requests,
    string Recovery,
    IReadOnlyList<string> ProblemTypes,
    string Standard,
    [property: JsonIgnore] IReadOnlyList<string> Endpoints,
    IReadOnlyDictionary<string, string>? Fixtures = null,
    IReadOnlyList<Recipe>? Recipes = null)
{
    public IReadOnlyList<Recipe> Recipes { get; init; } = Recipes ?? [];

    /// <summary>
    /// The suffix of the fixture names in OpenAPI examples (<see cref="ExampleOf"/>). Each fetch of the document
    /// replaces it with a fresh one, so whoever copies Swagger UI's examples works on names nobody else has.
    /// </summary>
    public const string ExampleSuffix = "3f9a1c2b";

    /// <summary>The name a fixture has in the OpenAPI examples, e.g. <c>editor_3f9a1c2b</c>.</summary>
    public string ExampleOf(string fixture) => Fixtures![fixture] + ExampleSuffix;

    /// <summary>This lesson with fresh names for its fixtures, the same suffix for all of them so they read as a set.</summary>
    public Lesson HandOutFixtures()
    {
        if (Fixtures is not { Count: > 0 })
        {
            return this;
        }

        var suffix = Guid.NewGuid().ToString("N")[..8];
        var names = Fixtures.ToDictionary(fixture => fixture.Key, fixture => fixture.Value + suffix, StringComparer.Ordinal);
        return this with
        {
            Requests = [.. Requests.Select(request => names.Aggregate(
                request, (text, name) => text.Replace($"{{{name.Key}}}", name.Value, StringComparison.Ordinal)))],
            Fixtures = names,
        };
    }
}
