using Conflict409.Api.Storage;
using Conflict409.Api.Users;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Conflict409.Api.Tests.Storage;

public sealed class InMemoryStoreTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    private static InMemoryStore CreateStore(params string[] seed)
    {
        var options = new UserStoreOptions();
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
        IUserStore store = CreateStore("john_doe");

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
        result.User.Username.Should().Be("john_doe");
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
        results.Should().OnlyContain(result => ReferenceEquals(result.User, winners[0].User),
            "every loser is told who holds the name");
        (await store.ListAsync()).Should().ContainSingle()
            .Which.Should().BeSameAs(winners[0].User);
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
}
