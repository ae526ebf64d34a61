using System.Net;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;
using Npgsql;

namespace Conflict409.Api.Tests.Storage;

/// <summary>What the PostgreSQL user store does with rows it did not write itself.</summary>
public sealed class PostgresUserRowTests
{
    [Fact]
    public async Task A_taken_name_whose_stored_skeleton_is_stale_is_still_a_409_naming_its_holder()
    {
        // As if an older confusables table had computed the row's skeleton: the insert's own holder lookup goes
        // by the skeleton, so only the fallback by key finds this holder.
        await RegisterAgainAfterRewritingItsRowAsync(
            "old_row", """UPDATE "Users" SET "Skeleton" = 'stale skeleton' WHERE "Key" = 'old_row'""", usersAfter: 3);
    }

    [Fact]
    public async Task A_taken_name_with_a_stale_skeleton_is_taken_even_when_a_look_alike_holds_its_current_skeleton()
    {
        // As if an older confusables table had computed scope's skeleton, and another row had since been stored with
        // the skeleton scope has today ('scope', plain ASCII): both rows refuse a new "scope"; the name itself is taken.
        await RegisterAgainAfterRewritingItsRowAsync("scope", """
            UPDATE "Users" SET "Skeleton" = 'stale skeleton' WHERE "Key" = 'scope';
            INSERT INTO "Users" ("Key", "Username", "RegisteredAt", "Version", "Skeleton") VALUES ('other_row', 'other_row', now(), 1, 'scope')
            """, usersAfter: 4);
    }

    /// <summary>
    /// Registers <paramref name="username"/>, changes the table behind the server's back, and registers the name
    /// again: it must be a 409 username-taken naming the name itself, with nothing written.
    /// </summary>
    private static async Task RegisterAgainAfterRewritingItsRowAsync(string username, string rewrite, int usersAfter)
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var app = Conflict409App.OnDatabase(database);
        using var client = app.CreateClient();
        (await client.RegisterAsync(username)).StatusCode.Should().Be(HttpStatusCode.Created);
        await using (var session = await database.OpenSessionAsync())
        {
            await using var command = new NpgsqlCommand(rewrite, session);
            (await command.ExecuteNonQueryAsync()).Should().BeGreaterThan(0);
        }

        using var again = await client.RegisterAsync(username);

        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be(UserProblemTypes.UsernameTaken.Uri);
        problem.Extensions["existingUsername"]!.ToString().Should().Be(username);
        (await app.Store.CountAsync()).Should().Be(usersAfter);
    }
}
