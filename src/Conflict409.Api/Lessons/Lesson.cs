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
public sealed record Lesson(
    string Id,
    string Title,
    string Cause,
    string Explanation,
    IReadOnlyList<string> Requests,
    string Recovery,
    IReadOnlyList<string> ProblemTypes,
    string Standard,
    [property: JsonIgnore] IReadOnlyList<string> Endpoints);
