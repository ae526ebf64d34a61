using Npgsql;

namespace Conflict409.Api.Tests.Infrastructure;

/// <summary>Which store the suite runs against, from the environment that .ci/run sets.</summary>
public static class TestStore
{
    /// <summary>"InMemory" (the default) or "PostgreSql".</summary>
    public static string Kind { get; } = Environment.GetEnvironmentVariable("CONFLICT409_TEST_STORE") ?? "InMemory";

    public static bool IsPostgreSql => Kind == "PostgreSql";

    /// <summary>A connection string to a PostgreSQL server the tests may create databases on, if any.</summary>
    public static string? PostgresServer { get; } = Environment.GetEnvironmentVariable("CONFLICT409_TEST_POSTGRES");

    public const string NoPostgresReason =
        "PostgreSQL tests need CONFLICT409_TEST_POSTGRES (a connection string); `.ci/postgres start` prints one " +
        "(.ci/run starts it and sets the variable).";

    /// <summary>
    /// Skips the calling test when there is no PostgreSQL server, saying why where a plain <c>dotnet test</c> shows
    /// it: its console names a skipped test but prints the skip reason only at normal verbosity (which would also
    /// list every passing test), whereas xunit's diagnostic messages (on in xunit.runner.json) always show.
    /// </summary>
    public static void SkipUnlessPostgres()
    {
        if (PostgresServer is null)
        {
            TestContext.Current.SendDiagnosticMessage($"Skipping {TestContext.Current.Test?.TestDisplayName}: {NoPostgresReason}");
            Assert.Skip(NoPostgresReason);
        }
    }
}

/// <summary>A fresh, empty database on the test server, dropped when disposed.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string _name;

    private TestDatabase(string name, string connectionString)
    {
        _name = name;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    /// <summary>The connection string with some settings changed, e.g. the pool size or the port of a relay.</summary>
    public string ConnectionStringWith(Action<NpgsqlConnectionStringBuilder> change)
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        change(builder);
        return builder.ConnectionString;
    }

    /// <summary>A session of the test's own on this database, outside every server's pool.</summary>
    public async Task<NpgsqlConnection> OpenSessionAsync()
    {
        var connection = new NpgsqlConnection(ConnectionStringWith(settings => settings.Pooling = false));
        await connection.OpenAsync();
        return connection;
    }

    public static TestDatabase Create()
    {
        var server = TestStore.PostgresServer
            ?? throw new InvalidOperationException(TestStore.NoPostgresReason);
        // The server creates its schema through its own migrations; the test only names a new database. Each
        // server's pool closes with it; kept small, so suites running at once stay within the cluster's connections.
        var name = $"c409_{Guid.NewGuid():N}";
        return new TestDatabase(name, new NpgsqlConnectionStringBuilder(server) { Database = name, MaxPoolSize = 16 }.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        await using var connection = new NpgsqlConnection(TestStore.PostgresServer);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}
