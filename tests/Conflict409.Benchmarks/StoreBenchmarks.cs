using BenchmarkDotNet.Attributes;
using Conflict409.Api.Storage;
using Conflict409.Api.Users;

namespace Conflict409.Benchmarks;

/// <summary>The store operations behind each lesson, with allocations per operation.</summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    // As many as the server holds by default, each iteration filling a store sized for them as the server's is.
    private const int Users = 100_000;
    private User[] _fresh = [];
    private InMemoryStore _store = null!;
    private User _duplicate = null!;
    private UsernameKey _existingKey;
    private long _version;

    [IterationSetup]
    public void Setup()
    {
        _store = StoreFactory.Create(capacity: Users + 1, seed: "john_doe");
        _fresh = [.. Enumerable.Range(0, Users).Select(i => StoreFactory.NewUser($"user_{i}"))];
        _duplicate = StoreFactory.NewUser("JOHN_DOE");
        _existingKey = UsernameKey.From("john_doe");
        _version = User.FirstVersion;
    }

    [Benchmark(OperationsPerInvoke = Users, Description = "unique add")]
    public async Task UniqueAdd()
    {
        foreach (var user in _fresh)
        {
            await _store.TryAddAsync(user);
        }
    }

    [Benchmark(OperationsPerInvoke = Users, Description = "duplicate add")]
    public async Task DuplicateAdd()
    {
        for (var i = 0; i < Users; i++)
        {
            await _store.TryAddAsync(_duplicate);
        }
    }

    [Benchmark(OperationsPerInvoke = Users, Description = "parallel add (all cores)")]
    public Task ParallelAdd() =>
        Parallel.ForEachAsync(_fresh, async (user, cancellationToken) => await _store.TryAddAsync(user, cancellationToken));

    [Benchmark(OperationsPerInvoke = Users, Description = "versioned update")]
    public async Task VersionedUpdate()
    {
        var profile = new UserProfile("John", null);
        for (var i = 0; i < Users; i++)
        {
            await _store.TryUpdateProfileAsync(_existingKey, VersionPrecondition.Exactly(_version++), profile);
        }
    }

    [Benchmark(OperationsPerInvoke = Users, Description = "lookup")]
    public async Task Lookup()
    {
        for (var i = 0; i < Users; i++)
        {
            await _store.FindAsync(_existingKey);
        }
    }
}
