namespace Conflict409.Api.Problems;

/// <summary>
/// A problem type of RFC 9457: a stable identifier (<see cref="Uri"/>), a fixed <see cref="Title"/>, and
/// the explanation this server serves at that URI so a learner can follow the link.
/// </summary>
public sealed record ProblemType(string Slug, int Status, string Title, string Explanation)
{
    public string Uri { get; } = $"/problems/{Slug}";
}

public static class ProblemTypes
{
    public static readonly ProblemType UsernameTaken = new(
        "username-taken",
        StatusCodes.Status409Conflict,
        "Username already exists.",
        "POST /register answers 409 Conflict when the username belongs to an existing account. " +
        "Usernames are compared after Unicode compatibility normalisation and case folding, so 'John_Doe' " +
        "and the full-width 'ｊｏｈｎ＿ｄｏｅ' collide with 'john_doe'. The request was well-formed (that would " +
        "be 400) and the server understood it (not 422): it conflicts with the current state of the server. " +
        "Retrying the same request cannot succeed; a client recovers by choosing another username.");

    public static readonly ProblemType UserNotFound = new(
        "user-not-found",
        StatusCodes.Status404NotFound,
        "User not found.",
        "No account has this username (after the same normalisation /register uses). " +
        "Register it with POST /register, or check the spelling with GET /users.");

    public static IReadOnlyList<ProblemType> All { get; } = [UsernameTaken, UserNotFound];

    public static ProblemType? FindBySlug(string slug) =>
        All.FirstOrDefault(type => string.Equals(type.Slug, slug, StringComparison.OrdinalIgnoreCase));
}
