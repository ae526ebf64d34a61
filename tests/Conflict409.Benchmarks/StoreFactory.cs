using Conflict409.Api.Storage;
using Conflict409.Api.Users;
using Microsoft.Extensions.Options;

namespace Conflict409.Benchmarks;

internal static class StoreFactory
{
    public static InMemoryStore Create(int capacity, params string[] seed)
    {
        var options = new UserStoreOptions { Capacity = capacity };
        foreach (var name in seed)
        {
            options.Seed.Add(name);
        }

        return new InMemoryStore(Options.Create(options), TimeProvider.System);
    }

    public static User NewUser(string username) => new(UsernameKey.From(username), username, DateTimeOffset.UnixEpoch);
}
