using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;

namespace Conflict409.Api.Users;

/// <summary>Lesson 0 as its folder declares it: the catalogue entry, how it is graded, its endpoints.</summary>
public sealed class DuplicateRegistrationLesson : ILessonModule
{
    public static readonly Lesson Entry = new(
        "duplicate-registration",
        "Lesson 0: duplicate registration",
        "A resource with the same unique identifier already exists.",
        "POST /register creates a user. A second registration of the same username conflicts with the existing " +
        "account and gets 409 with a problem that names it. Hundreds of simultaneous registrations of one name " +
        "give exactly one 201: the store's add is a single atomic step. A name that merely looks like an existing " +
        "one (Cyrillic 'ѕсоре' beside 'scope', a dotless 'ı' in 'jane_smıth') conflicts too, so no one can " +
        "impersonate an account. The username rules: " + UsernameRules.Description,
        [
            "POST /register {\"username\":\"{name}\"} → 201",
            "POST /register {\"username\":\"{name}\"} → 409 username-taken (now it exists)",
            "POST /register {\"username\":\"john_doe\"} → 409 username-taken",
            "POST /register {\"username\":\"ＪＯＨＮ＿ＤＯＥ\"} → 409 username-taken",
            "POST /register {\"username\":\"jane_smıth\"} → 409 username-look-alike",
            "POST /register {\"username\":\"{other}\"} → 201 (recovered: another name)",
        ],
        "Do not retry unchanged: ask the user for another username (the problem's existingUsername says who holds it).",
        [UserProblemTypes.UsernameTaken.Uri, UserProblemTypes.UsernameLookAlike.Uri],
        "RFC 9110 §15.5.10 (409 Conflict), RFC 9457 problem details, RFC 8265 (PRECIS usernames).",
        [nameof(RegistrationEndpoints.Register), nameof(UserEndpoints.ListUsers)],
        new Dictionary<string, string> { ["name"] = "new_", ["other"] = "other_" },
        Recipe.For("Users", "lesson0"));

    public Lesson Lesson => Entry;

    public IReadOnlyList<ProblemType> DefinedProblemTypes { get; } =
        [UserProblemTypes.UsernameTaken, UserProblemTypes.UsernameLookAlike];

    public ILessonJudge? Judge { get; } = new DuplicateRegistrationJudge();

    public void MapEndpoints(IEndpointRouteBuilder api)
    {
        api.MapRegistrationEndpoints();
        api.MapUserEndpoints();
    }
}
