using Conflict409.Api.Storage;
using Conflict409.Api.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Conflict409.Api.Tests.Storage;

public sealed class InMemoryStoreTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private static InMemoryStore CreateStore(params string[] seed) => CreateStore(capacity: 100_000, seed);

    private static InMemoryStore CreateStore(int capacity, params string[] seed)
    {
        var options = new UserStoreOptions { Capacity = capacity };
        foreach (var name in seed)
        {
            options.Seed.Add(name);
        }

        return new InMemoryStore(Options.Create(options), Clock);
    }

    private static User NewUser(string username) => new(UsernameKey.From(username), username, Clock.GetUtcNow());

    [Fact]
    public async Task Seeded_users_are_found_by_any_spelling()
    {
        var store = CreateStore("john_doe");

        var found = await store.FindAsync(UsernameKey.From("ＪＯＨＮ_doe"));

        found.Should().NotBeNull();
        found!.Username.Should().Be("john_doe");
        found.RegisteredAt.Should().Be(Clock.GetUtcNow());
    }

    [Fact]
    public async Task Adding_a_taken_key_returns_the_existing_holder_and_changes_nothing()
    {
        var store = CreateStore("john_doe");

        var result = await store.TryAddAsync(NewUser("John_Doe"));

        result.Outcome.Should().Be(AddUserOutcome.Taken);
        result.User!.Username.Should().Be("john_doe");
        (await store.ListAsync()).Should().ContainSingle();
    }

    [Fact]
    public async Task Under_real_parallelism_exactly_one_of_many_adders_of_one_key_wins()
    {
        const int Adders = 1_000;
        var store = CreateStore();
        var candidates = Enumerable.Range(0, Adders).Select(i => NewUser(i % 2 == 0 ? "contested" : "CONTESTED")).ToArray();
        var results = new AddUserResult[Adders];

        await Parallel.ForAsync(0, Adders, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount * 4 },
            async (i, cancellationToken) => results[i] = await store.TryAddAsync(candidates[i], cancellationToken));

        var winners = results.Where(result => result.Outcome == AddUserOutcome.Added).ToArray();
        winners.Should().ContainSingle();
        // Equal, not the same object: the store keeps a plain user inline and makes its object when it is read.
        results.Should().OnlyContain(result => result.User == winners[0].User, "every loser is told who holds the name");
        (await store.ListAsync()).Should().ContainSingle()
            .Which.Should().Be(winners[0].User);
    }

    [Fact]
    public async Task Under_real_parallelism_distinct_keys_are_all_added()
    {
        const int Names = 500;
        var store = CreateStore();

        await Parallel.ForAsync(0, Names * 2, async (i, cancellationToken) =>
            await store.TryAddAsync(NewUser($"name_{i % Names}"), cancellationToken));

        (await store.ListAsync()).Should().HaveCount(Names);
    }

    [Fact]
    public async Task Under_real_parallelism_the_capacity_is_never_exceeded_and_a_full_store_writes_nothing()
    {
        const int Capacity = 100;
        var store = CreateStore(Capacity, "seeded");
        var outcomes = new AddUserOutcome[1_000];

        await Parallel.ForAsync(0, outcomes.Length, async (i, cancellationToken) =>
            outcomes[i] = (await store.TryAddAsync(NewUser($"user_{i}"), cancellationToken)).Outcome);

        outcomes.Count(outcome => outcome == AddUserOutcome.Added).Should().Be(Capacity - 1);
        outcomes.Count(outcome => outcome == AddUserOutcome.Full).Should().Be(outcomes.Length - (Capacity - 1));
        (await store.ListAsync()).Should().HaveCount(Capacity);
        (await store.TryAddAsync(NewUser("seeded"))).Outcome.Should().Be(AddUserOutcome.Taken, "a taken name is still reported as taken");
    }

    [Fact]
    public async Task Deleting_a_user_makes_room_in_a_full_store()
    {
        var store = CreateStore(capacity: 1, "only_one");
        (await store.TryAddAsync(NewUser("second"))).Outcome.Should().Be(AddUserOutcome.Full);

        (await store.TryDeleteAsync(UsernameKey.From("only_one"))).Outcome.Should().Be(DeleteUserOutcome.Deleted);

        (await store.TryAddAsync(NewUser("second"))).Outcome.Should().Be(AddUserOutcome.Added);
    }

    [Fact]
    public async Task Pages_follow_key_order_from_the_cursor()
    {
        var store = CreateStore("c", "A", "b", "d");

        var firstPage = await store.ListAsync(limit: 2);
        var secondPage = await store.ListAsync(firstPage[^1].Key, limit: 2);

        firstPage.Select(user => user.Username).Should().Equal("A", "b");
        secondPage.Select(user => user.Username).Should().Equal("c", "d");
    }
}
