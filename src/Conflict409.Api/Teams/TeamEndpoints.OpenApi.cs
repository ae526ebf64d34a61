using Conflict409.Api.Lessons;
using Conflict409.Api.OpenApi;

namespace Conflict409.Api.Teams;

/// <summary>The OpenAPI prose and examples of the team endpoints.</summary>
public static partial class TeamEndpoints
{
    private const string CreateTeamDescription = """
        Creates a team that references users (its owner and members), so those users cannot be deleted
        while it exists. A duplicate team name is **409** (a conflict with an existing team); naming users
        that do not exist is **422** (well-formed, but it cannot be processed), with `unknownUsers`.
        """;

    private const string GetTeamDescription =
        "Looks the team up by name, compared like usernames (case- and width-insensitively); its owner and members " +
        "are the users it keeps from being deleted.";

    private const string DeleteTeamDescription =
        "The recovery step of lesson 2: once no team names a user, `DELETE /users/{username}` succeeds.";

    private static RouteHandlerBuilder WithCreateTeamExamples(this RouteHandlerBuilder builder) =>
        builder.WithRequestExample(new CreateTeamRequest(
            Lesson.ExampleOf("team"), Lesson.ExampleOf("owner"), [Lesson.ExampleOf("member")]));

    private static Lesson Lesson => ReferencedResourceLesson.Entry;
}
