using System.Net;
using System.Net.Http.Json;
using Conflict409.Api.Tests.Infrastructure;
using Conflict409.Api.Users;

namespace Conflict409.Api.Tests.Users;

public sealed class RegisterConcurrencyTests
{
    [Fact]
    public async Task Two_hundred_simultaneous_registrations_of_one_name_yield_exactly_one_201()
    {
        const int Attempts = 200;
        await using var app = new Conflict409App();
        using var client = app.CreateClient();

        // Alternate spellings so the race also covers normalisation, not only identical strings.
        var responses = await Concurrently.SendAsync(Attempts, i => client.RegisterAsync(i % 2 == 0 ? "racer" : "RACER"));

        responses.Count(status => status == HttpStatusCode.Created).Should().Be(1);
        responses.Count(status => status == HttpStatusCode.Conflict).Should().Be(Attempts - 1);
    }

    [Fact]
    public async Task Many_names_raced_many_times_each_register_each_name_exactly_once()
    {
        const int Names = 20;
        const int AttemptsPerName = 15;
        await using var app = new Conflict409App();
        using var client = app.CreateClient();
        var names = Enumerable.Range(0, Names).Select(i => $"user_{i:D2}").ToArray();

        var results = await Concurrently.RunAsync(Names * AttemptsPerName, async i =>
        {
            var name = names[i % Names];
            using var response = await client.RegisterAsync(name);
            return (name, response.StatusCode);
        });

        results.Where(result => result.StatusCode == HttpStatusCode.Created).Select(result => result.name)
            .Should().BeEquivalentTo(names);
        results.Count(result => result.StatusCode == HttpStatusCode.Conflict).Should().Be(Names * (AttemptsPerName - 1));
        var listed = await client.GetFromJsonAsync<UserPage>("/users?limit=100");
        listed!.Items.Select(user => user.Username).Should().BeEquivalentTo(["john_doe", "jane_smith", .. names]);
        listed.NextCursor.Should().BeNull();
    }
}
