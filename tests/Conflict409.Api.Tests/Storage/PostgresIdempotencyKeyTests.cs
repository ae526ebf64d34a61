using System.Net;
using Conflict409.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using static Conflict409.Api.Tests.Infrastructure.Requests;

namespace Conflict409.Api.Tests.Storage;

/// <summary>What the PostgreSQL idempotency store keeps in its table, beyond what the wire shows.</summary>
public sealed class PostgresIdempotencyKeyTests
{
    [Fact]
    public async Task Expired_keys_are_purged_by_later_claims_so_the_table_holds_only_live_keys()
    {
        TestStore.SkipUnlessPostgres();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var database = TestDatabase.Create();
        await using var app = Conflict409App.OnDatabase(database)
            .WithSetting("Idempotency:KeyLifetime", "00:01:00")
            .WithServices(services => services.AddSingleton<TimeProvider>(clock));
        using var client = app.CreateClient();
        for (var i = 0; i < 20; i++)
        {
            (await client.SendAsync(Register($"early_{i}", $"early-{i}"))).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await KeyRowsAsync(database)).Should().Be(20);
        clock.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 3; i++)
        {
            (await client.SendAsync(Register($"late_{i}", $"late-{i}"))).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        (await KeyRowsAsync(database)).Should().Be(3, "each claim removes up to 8 expired rows, and 3 claims cover the 20 expired ones");
    }

    private static async Task<long> KeyRowsAsync(TestDatabase database)
    {
        await using var session = await database.OpenSessionAsync();
        await using var count = new NpgsqlCommand("""SELECT count(*) FROM "IdempotencyKeys" """, session);
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
