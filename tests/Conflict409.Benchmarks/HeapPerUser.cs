namespace Conflict409.Benchmarks;

/// <summary>Managed heap taken by registered users, as the store holds them after POST /register.</summary>
internal static class HeapPerUser
{
    public static void Measure(int count)
    {
        // The store is made inside the measurement: the table it sizes for its capacity is part of the cost.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var store = StoreFactory.Create(capacity: count);

        for (var i = 0; i < count; i++)
        {
            // The name is made here, as a request would make it, because the store keeps the typed spelling.
            store.TryAddAsync(StoreFactory.NewUser($"user_{i:D7}")).AsTask().GetAwaiter().GetResult();
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        var bytes = after - before;
        Console.WriteLine($"{count} users: {bytes / 1024.0 / 1024.0:F1} MiB of managed heap, {bytes / (double)count:F0} bytes/user");
        GC.KeepAlive(store);
    }
}
