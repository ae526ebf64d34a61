using System.Net;
using Conflict409.Api.Storage.Postgres;
using Conflict409.Api.Tests.Infrastructure;
using Npgsql;

namespace Conflict409.Api.Tests.Storage;

/// <summary>
/// What a real deployment's database does to the server: goes away and comes back, runs out of connections,
/// turns slow, and is shared by several instances. Each test has its own database on the test cluster and
/// disturbs nothing else: the outage is a relay the test cuts, the slowness a lock the test's own session holds.
/// </summary>
public sealed class DatabaseFaultTests
{
    private const string HeldName = "held_name";

    [Fact]
    public async Task While_the_database_is_unreachable_requests_get_503_with_retry_after_and_the_first_after_it_returns_gets_201()
    {
        TestStore.SkipUnlessPostgres();
        var cluster = new NpgsqlConnectionStringBuilder(TestStore.PostgresServer);
        await using var relay = TcpForwarder.To(cluster.Host!, cluster.Port);
        await using var database = TestDatabase.Create();
        await using var app = Conflict409App.OnDatabase(database)
            .WithSetting("ConnectionStrings:Conflict409", database.ConnectionStringWith(settings => settings.Port = relay.Port));
        using var client = app.CreateClient();
        (await client.RegisterAsync("before_outage")).StatusCode.Should().Be(HttpStatusCode.Created);

        relay.Cut();
        using var register = await client.RegisterAsync("during_outage");
        using var lookup = await client.GetAsync("/users/john_doe");
        using var health = await client.GetAsync("/healthz");
        relay.Restore();
        using var after = await client.RegisterAsync("after_outage");

        var problem = await register.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
        problem.Title.Should().Be("The database is unavailable.");
        register.Headers.RetryAfter!.Delta.Should().Be(DatabaseUnavailableHandler.RetryAfterDelay);
        (await lookup.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Title.Should().Be("The database is unavailable.");
        health.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        after.StatusCode.Should().Be(HttpStatusCode.Created);
        (await UsernamesAsync(database)).Should().Equal("after_outage", "before_outage", "jane_smith", "john_doe");
    }

    [Fact]
    public async Task When_every_pooled_connection_is_busy_requests_queue_briefly_then_get_503_with_retry_after()
    {
        TestStore.SkipUnlessPostgres();
        // The wait for the one connection (1 s) is well inside the request timeout.
        await using var server = await OneConnectionServer.StartAsync(requestTimeout: "00:00:30");
        var (database, client, blocker) = (server.Database, server.Client, server.Blocker);

        // The one connection waits on the blocker's lock until the test releases it.
        var holding = client.RegisterAsync(HeldName);
        await WaitForServerSessionsWaitingOnALockAsync(database, 1);
        var queued = await Concurrently.RunAsync(10, i => client.RegisterAsync($"queued_{i}"));
        await blocker.ReleaseAsync();
        using var held = await holding;

        foreach (var response in queued)
        {
            (await response.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Title.Should().Be("The database is unavailable.");
            response.Headers.RetryAfter!.Delta.Should().Be(DatabaseUnavailableHandler.RetryAfterDelay);
            response.Dispose();
        }

        held.StatusCode.Should().Be(HttpStatusCode.Created, "the request that held the connection finishes once the lock is gone");
        (await client.RegisterAsync("after_the_queue")).StatusCode.Should().Be(HttpStatusCode.Created);
        (await UsernamesAsync(database)).Should().Equal("after_the_queue", "first_user", HeldName, "jane_smith", "john_doe");
    }

    [Fact]
    public async Task A_database_slower_than_the_request_timeout_gets_503_and_the_connection_comes_back_to_the_pool()
    {
        TestStore.SkipUnlessPostgres();
        // With a pool of one connection, any later success proves the timed-out request gave it back.
        await using var server = await OneConnectionServer.StartAsync(requestTimeout: "00:00:02");
        var (client, blocker) = (server.Client, server.Blocker);

        using var slow = await client.RegisterAsync(HeldName);

        (await slow.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Title.Should().Be("Service Unavailable");
        (await server.SessionStatesAsync()).Should().Equal(["idle"], "the statement was cancelled and its connection is idle in the pool");
        (await client.RegisterAsync("while_still_locked")).StatusCode.Should().Be(HttpStatusCode.Created);
        await blocker.ReleaseAsync();
        (await client.RegisterAsync(HeldName)).StatusCode.Should().Be(HttpStatusCode.Created, "the cancelled insert left nothing behind");
        (await server.SessionStatesAsync()).Should().Equal(["idle"]);
    }

    [Fact]
    public async Task When_the_database_refuses_more_connections_requests_get_503_with_retry_after_not_500()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using (var migrated = Conflict409App.OnDatabase(database))
        {
            using var setup = migrated.CreateClient();
            (await setup.RegisterAsync("before_the_limit")).StatusCode.Should().Be(HttpStatusCode.Created);
        }

        // PostgreSQL answers 53300 both when max_connections is reached and when a role is over its own limit;
        // a role allowed no connection at all is the second, deterministically, without filling the cluster.
        var role = $"c409_full_{Guid.NewGuid():N}";
        await ExecuteAsync(database, $"CREATE ROLE \"{role}\" LOGIN PASSWORD 'full' CONNECTION LIMIT 0");
        try
        {
            await using var app = Conflict409App.OnDatabase(database)
                .WithSetting("ConnectionStrings:Conflict409", database.ConnectionStringWith(settings => (settings.Username, settings.Password) = (role, "full")));
            using var client = app.CreateClient();

            using var register = await client.RegisterAsync("refused_name");
            using var lookup = await client.GetAsync("/users/john_doe");

            var problem = await register.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable);
            problem.Title.Should().Be("The database is unavailable.");
            register.Headers.RetryAfter!.Delta.Should().Be(DatabaseUnavailableHandler.RetryAfterDelay);
            (await lookup.ShouldBeProblemAsync(HttpStatusCode.ServiceUnavailable)).Title.Should().Be("The database is unavailable.");
        }
        finally
        {
            await ExecuteAsync(database, $"DROP ROLE \"{role}\"");
        }

        (await UsernamesAsync(database)).Should().Equal("before_the_limit", "jane_smith", "john_doe");
    }

    [Fact]
    public async Task Two_instances_under_parallel_load_register_each_name_once_and_every_201_is_a_row()
    {
        TestStore.SkipUnlessPostgres();
        const int Names = 300;
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database);
        await using var second = Conflict409App.OnDatabase(database);
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();

        // Every name is sent to both instances at once.
        var statuses = await Concurrently.SendAsync(Names * 2, i => (i % 2 == 0 ? firstClient : secondClient).RegisterAsync($"name_{i / 2}"));

        statuses.Count(status => status == HttpStatusCode.Created).Should().Be(Names);
        statuses.Count(status => status == HttpStatusCode.Conflict).Should().Be(Names);
        (await first.Store.CountAsync()).Should().Be(Names + 2);
    }

    [Fact]
    public async Task Two_instances_never_exceed_the_capacity_together()
    {
        TestStore.SkipUnlessPostgres();
        await using var database = TestDatabase.Create();
        await using var first = Conflict409App.OnDatabase(database).WithSetting("Users:Capacity", "12");
        await using var second = Conflict409App.OnDatabase(database).WithSetting("Users:Capacity", "12");
        using var firstClient = first.CreateClient();
        using var secondClient = second.CreateClient();

        var statuses = await Concurrently.SendAsync(200, i => (i % 2 == 0 ? firstClient : secondClient).RegisterAsync($"crowd_{i}"));

        var created = statuses.Count(status => status == HttpStatusCode.Created);
        created.Should().BeLessThanOrEqualTo(10);
        statuses.Count(status => status == HttpStatusCode.InsufficientStorage).Should().Be(200 - created);
        (await first.Store.CountAsync()).Should().Be(created + 2, "every 201 is a row and nothing else was written");
    }

    /// <summary>
    /// A server on a database of its own with one pooled connection (waiting at most 1 s for it), one user
    /// registered through it, and <see cref="HeldName"/> locked by another session until the test releases it.
    /// </summary>
    private sealed record OneConnectionServer(TestDatabase Database, Conflict409App App, HttpClient Client, HeldLock Blocker) : IAsyncDisposable
    {
        public static async Task<OneConnectionServer> StartAsync(string requestTimeout)
        {
            var database = TestDatabase.Create();
            var app = Conflict409App.OnDatabase(database)
                .WithSetting("ConnectionStrings:Conflict409", database.ConnectionStringWith(settings => (settings.MaxPoolSize, settings.Timeout) = (1, 1)))
                .WithSetting("RequestTimeout", requestTimeout);
            var client = app.CreateClient();
            (await client.RegisterAsync("first_user")).StatusCode.Should().Be(HttpStatusCode.Created);
            await LoggedAsync(client);
            return new OneConnectionServer(database, app, client, await HoldNameAsync(database));
        }

        /// <summary>The states of the server's pooled sessions once every request answered so far is in the progress log.</summary>
        public async Task<List<string>> SessionStatesAsync()
        {
            await LoggedAsync(Client);
            return await ServerSessionStatesAsync(Database);
        }

        /// <summary>
        /// Returns once the requests answered so far are graded and logged. The grader logs each request after it has
        /// answered, through the same pool; once it has, an idle grader holds no pooled connection (it waits on a
        /// listener of its own), so what the pool's sessions do is the requests' alone.
        /// </summary>
        private static async Task LoggedAsync(HttpClient client) =>
            (await client.GetAsync("/progress")).StatusCode.Should().Be(HttpStatusCode.OK);

        public async ValueTask DisposeAsync()
        {
            await Blocker.DisposeAsync();
            Client.Dispose();
            await App.DisposeAsync();
            await Database.DisposeAsync();
        }
    }

    /// <summary>Inserts the held name in a transaction left open: whoever inserts it too waits for its lock.</summary>
    private static async Task<HeldLock> HoldNameAsync(TestDatabase database)
    {
        var session = await database.OpenSessionAsync();
        var transaction = await session.BeginTransactionAsync();
        await using var insert = new NpgsqlCommand(
            $"""INSERT INTO "Users" ("Key", "Username", "RegisteredAt", "Version") VALUES ('{HeldName}', '{HeldName}', now(), 1)""",
            session, transaction);
        await insert.ExecuteNonQueryAsync();
        return new HeldLock(session, transaction);
    }

    private sealed record HeldLock(NpgsqlConnection Session, NpgsqlTransaction Transaction) : IAsyncDisposable
    {
        public Task ReleaseAsync() => Transaction.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await Transaction.DisposeAsync();
            await Session.DisposeAsync();
        }
    }

    private static async Task<List<string>> ServerSessionStatesAsync(TestDatabase database)
    {
        await using var session = await database.OpenSessionAsync();
        await using var query = new NpgsqlCommand(
            "SELECT state FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 ORDER BY state", session)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = DatabaseConnections.ApplicationName } },
        };
        await using var reader = await query.ExecuteReaderAsync();
        var states = new List<string>();
        while (await reader.ReadAsync())
        {
            states.Add(reader.GetString(0));
        }

        return states;
    }

    /// <summary>
    /// Waits for a state the test cannot be told about otherwise: the server's statements queued behind the
    /// blocker's lock, as PostgreSQL itself reports them. It polls for that state; it never guesses a duration.
    /// </summary>
    private static async Task WaitForServerSessionsWaitingOnALockAsync(TestDatabase database, int sessions)
    {
        await using var session = await database.OpenSessionAsync();
        await using var query = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND wait_event_type = 'Lock'", session)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = DatabaseConnections.ApplicationName } },
        };
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while ((long)(await query.ExecuteScalarAsync(patience.Token))! < sessions)
        {
            await Task.Delay(10, patience.Token);
        }
    }

    private static async Task ExecuteAsync(TestDatabase database, string sql)
    {
        await using var session = await database.OpenSessionAsync();
        await using var command = new NpgsqlCommand(sql, session);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> UsernamesAsync(TestDatabase database)
    {
        await using var session = await database.OpenSessionAsync();
        await using var query = new NpgsqlCommand("""SELECT "Username" FROM "Users" ORDER BY "Key" """, session);
        await using var reader = await query.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
