using System.Net;
using Conflict409.Api.Tests.Infrastructure;

namespace Conflict409.Api.Tests.Storage;

/// <summary>
/// Lesson 5: a process-local store cannot keep a name unique across instances; a shared database can.
/// </summary>
public sealed class SeveralInstancesTests
{
    private static Task<HttpStatusCode[]> RaceAsync(HttpClient first, HttpClient second, string username, int attempts) =>
        Concurrently.SendAsync(attempts, i => (i % 2 == 0 ? first : second).RegisterAsync(username));

    [Fact]
    public async Task Two_in_memory_instances_both_accept_the_same_name_which_is_why_the_database_exists()
    {
        await using var first = Conflict409App.InMemory();
        await using var second = Conflict409App.InMemory();

        var statuses = await RaceAsync(first.CreateClient(), second.CreateClient(), "twice_registered", attempts: 100);

        statuses.Count(status => status == HttpStatusCode.Created).Should().Be(2, "each instance has its own store");
        statuses.Count(status => status == HttpStatusCode.Conflict).Should().Be(98);
    }

    [Fact]
    public async Task Two_instances_on_one_database_accept_a_raced_name_exactly_once()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database);
        await using var second = Conflict409App.OnDatabase(database);

        var statuses = await RaceAsync(first.CreateClient(), second.CreateClient(), "once_registered", attempts: 200);

        statuses.Count(status => status == HttpStatusCode.Created).Should().Be(1);
        statuses.Count(status => status == HttpStatusCode.Conflict).Should().Be(199);
        (await first.Store.CountAsync()).Should().Be(3);
    }

    [Fact]
    public async Task An_idempotency_key_in_flight_on_one_instance_is_in_flight_on_the_other()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database);
        var gate = GatedUserStore.Install(first);
        await using var second = Conflict409App.OnDatabase(database);

        var held = first.CreateClient().SendAsync(SharedKeyRegistration("shared_key_user"));
        await gate.Entered;
        using var concurrent = await second.CreateClient().SendAsync(SharedKeyRegistration("shared_key_user"));
        gate.Release();
        using var original = await held;

        (await concurrent.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Type.Should().Be("/problems/idempotency-key-in-use");
        original.StatusCode.Should().Be(HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_gives_503_problems_with_retry_after_and_an_unhealthy_healthz()
    {
        // Nothing listens on port 1 of loopback: the connection is refused at once, no timeout to wait for.
        await using var app = Conflict409App.InMemory()
            .WithSetting("Store", "PostgreSql")
            .WithSetting("ConnectionStrings:Conflict409", "Host=127.0.0.1;Port=1;Username=nobody;Password=none;Database=none;Timeout=2");
        using var client = app.CreateClient();

        using var register = await client.RegisterAsync("offline_user");
        using var lookup = await client.GetAsync("/users/john_doe");
        using var health = await client.GetAsync("/healthz");

        var problem = await register.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.Type.Should().Be("/problems/database-unavailable");
        problem.Title.Should().Be("The database is unavailable.");
        problem.Instance.Should().Be("/register");
        problem.Detail.Should().Be("The server cannot reach its database right now. Retry after 5 s.");
        register.Headers.RetryAfter!.Delta.Should().Be(TimeSpan.FromSeconds(5));
        (await register.Content.ReadAsStringAsync()).Should().NotContain("   at ").And.NotContain("Npgsql");
        (await lookup.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Title.Should().Be("The database is unavailable.");
        health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        (await health.Content.ReadAsStringAsync()).Should().Be("Unhealthy");
    }

    private static HttpRequestMessage SharedKeyRegistration(string username) => Requests.Register(username, "\"shared\"");
}
