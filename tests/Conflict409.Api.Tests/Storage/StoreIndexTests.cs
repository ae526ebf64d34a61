using Conflict409.Api.Storage;
using Conflict409.Api.Teams;
using Conflict409.Api.Users;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Tests.Storage;

/// <summary>
/// The in-memory store answers pages and deletes from indexes, not scans under its lock: a page of a large store
/// touches the page, and a delete finds its blockers through the user → teams index.
/// </summary>
public sealed class StoreIndexTests
{
    private static InMemoryStore CreateStore(int capacity = 200_000) =>
        new(Options.Create(new UserStoreOptions { Capacity = capacity, TeamCapacity = 20_000 }), TimeProvider.System);

    private static User NewUser(string username) => new(UsernameKey.From(username), username, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task A_page_of_a_store_of_100000_users_costs_the_page_not_the_store()
    {
        var store = CreateStore();
        for (var i = 0; i < 100_000; i++)
        {
            await store.TryAddAsync(NewUser($"user_{i:D6}"));
        }

        await store.ListAsync(UsernameKey.From("user_050000"), 101); // warm: no first-call allocations in the measurement
        var before = GC.GetAllocatedBytesForCurrentThread();
        var page = await store.ListAsync(UsernameKey.From("user_050000"), 101);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        page.Select(user => user.Username).Should().Equal(Enumerable.Range(50_001, 101).Select(i => $"user_{i:D6}"));
        // A scan that sorts 100 000 users allocates megabytes of buffers; a page allocates one list of 101 references and
        // the 101 users on it (the store keeps a plain user inline as key and time, and makes its object when read).
        allocated.Should().BeLessThan(4_096 + 101 * 64);
    }

    [Fact]
    public async Task Pages_follow_key_order_through_random_adds_and_deletes()
    {
        var store = CreateStore();
        var random = new Random(14);
        var expected = new SortedSet<string>(StringComparer.Ordinal) { };
        for (var i = 0; i < 20_000; i++)
        {
            var name = $"n{random.Next(0, 40_000):D5}";
            if (random.Next(4) == 0)
            {
                var deleted = await store.TryDeleteAsync(UsernameKey.From(name));
                deleted.Outcome.Should().Be(expected.Remove(name) ? DeleteUserOutcome.Deleted : DeleteUserOutcome.NotFound);
            }
            else
            {
                var added = await store.TryAddAsync(NewUser(name));
                added.Outcome.Should().Be(expected.Add(name) ? AddUserOutcome.Added : AddUserOutcome.Taken);
            }
        }

        var paged = new List<string>();
        UsernameKey? cursor = null;
        while (await store.ListAsync(cursor, 97) is { Count: > 0 } page)
        {
            paged.AddRange(page.Select(user => user.Username));
            cursor = page[^1].Key;
        }

        paged.Should().Equal(expected);
        (await store.CountAsync()).Should().Be(expected.Count);
    }

    [Fact]
    public async Task Blockers_come_from_the_reverse_index_as_teams_come_and_go()
    {
        var store = CreateStore();
        foreach (var name in new[] { "ann", "bob", "cyd" })
        {
            await store.TryAddAsync(NewUser(name));
        }

        await store.TryCreateTeamAsync(new Team(TeamKey.From("zeta"), "zeta", "ann", ["bob"]));
        await store.TryCreateTeamAsync(new Team(TeamKey.From("alpha"), "alpha", "bob", ["bob", "ann"]));
        await store.TryCreateTeamAsync(new Team(TeamKey.From("solo"), "solo", "cyd", []));

        (await store.TryDeleteAsync(UsernameKey.From("BOB"))).BlockingTeams.Should().Equal("alpha", "zeta");
        (await store.TryDeleteAsync(UsernameKey.From("ann"))).BlockingTeams.Should().Equal("alpha", "zeta");
        await store.TryDeleteTeamAsync(TeamKey.From("zeta"));
        (await store.TryDeleteAsync(UsernameKey.From("ann"))).BlockingTeams.Should().Equal("alpha");
        await store.TryDeleteTeamAsync(TeamKey.From("alpha"));
        (await store.TryDeleteAsync(UsernameKey.From("ann"))).Outcome.Should().Be(DeleteUserOutcome.Deleted);
        (await store.TryDeleteAsync(UsernameKey.From("bob"))).Outcome.Should().Be(DeleteUserOutcome.Deleted);
        (await store.TryDeleteAsync(UsernameKey.From("cyd"))).BlockingTeams.Should().Equal("solo");
    }

    [Fact]
    public async Task Deleting_an_unreferenced_user_at_10000_teams_allocates_nothing_per_team()
    {
        var store = CreateStore();
        await store.TryAddAsync(NewUser("owner"));
        for (var i = 0; i < 10_000; i++)
        {
            await store.TryCreateTeamAsync(new Team(TeamKey.From($"team_{i}"), $"team_{i}", "owner", []));
        }

        await store.TryDeleteAsync(UsernameKey.From("nobody"));
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = await store.TryDeleteAsync(UsernameKey.From("nobody"));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var blocked = await store.TryDeleteAsync(UsernameKey.From("owner"));

        result.Outcome.Should().Be(DeleteUserOutcome.NotFound);
        allocated.Should().Be(0, "an unknown user is one failed lookup in each index");
        blocked.BlockingTeams.Should().HaveCount(10_000);
    }
}
