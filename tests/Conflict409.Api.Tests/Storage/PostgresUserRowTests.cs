using System.Net;
using Conflict409.Api.Problems;
using Conflict409.Api.Tests.Infrastructure;
using Npgsql;

namespace Conflict409.Api.Tests.Storage;

/// <summary>What the PostgreSQL user store does with rows it did not write itself.</summary>
public sealed class PostgresUserRowTests
{
    [Fact]
    public async Task A_taken_name_whose_stored_skeleton_is_stale_is_still_a_409_naming_its_holder()
    {
        Assert.SkipWhen(TestStore.PostgresServer is null, TestStore.NoPostgresReason);
        await using var database = TestDatabase.Create();
        await using var app = Conflict409App.OnDatabase(database);
        using var client = app.CreateClient();
        (await client.RegisterAsync("old_row")).StatusCode.Should().Be(HttpStatusCode.Created);
        // As if an older confusables table had computed the row's skeleton: the insert's own holder lookup goes
        // by the skeleton, so only the fallback by key finds this holder.
        await using (var session = await database.OpenSessionAsync())
        {
            await using var stale = new NpgsqlCommand("""UPDATE "Users" SET "Skeleton" = 'stale skeleton' WHERE "Key" = 'old_row'""", session);
            (await stale.ExecuteNonQueryAsync()).Should().Be(1);
        }

        using var again = await client.RegisterAsync("old_row");

        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be(ProblemTypes.UsernameTaken.Uri);
        problem.Extensions["existingUsername"]!.ToString().Should().Be("old_row");
        (await app.Store.CountAsync()).Should().Be(3);
    }

    [Fact]
    public async Task A_taken_name_with_a_stale_skeleton_is_taken_even_when_a_look_alike_holds_its_current_skeleton()
    {
        Assert.SkipWhen(TestStore.PostgresServer is null, TestStore.NoPostgresReason);
        await using var database = TestDatabase.Create();
        await using var app = Conflict409App.OnDatabase(database);
        using var client = app.CreateClient();
        (await client.RegisterAsync("scope")).StatusCode.Should().Be(HttpStatusCode.Created);
        // As if an older confusables table had computed scope's skeleton, and another row had since been stored with
        // the skeleton scope has today ('scope', plain ASCII): both rows refuse a new "scope"; the name itself is taken.
        await using (var session = await database.OpenSessionAsync())
        {
            await using var rows = new NpgsqlCommand(
                """
                UPDATE "Users" SET "Skeleton" = 'stale skeleton' WHERE "Key" = 'scope';
                INSERT INTO "Users" ("Key", "Username", "RegisteredAt", "Version", "Skeleton") VALUES ('other_row', 'other_row', now(), 1, 'scope')
                """, session);
            await rows.ExecuteNonQueryAsync();
        }

        using var again = await client.RegisterAsync("scope");

        var problem = await again.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        problem.Type.Should().Be(ProblemTypes.UsernameTaken.Uri);
        problem.Extensions["existingUsername"]!.ToString().Should().Be("scope");
    }
}
