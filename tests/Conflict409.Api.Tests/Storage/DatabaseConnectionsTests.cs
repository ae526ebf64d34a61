using Conflict409.Api.Storage.Postgres;
using Npgsql;

namespace Conflict409.Api.Tests.Storage;

/// <summary>How the server's pool of PostgreSQL connections is set up from the connection string it is given.</summary>
public sealed class DatabaseConnectionsTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Returned_connections_are_not_reset_unless_the_connection_string_asks_for_it()
    {
        await using var pool = DatabaseConnections.Create("Host=127.0.0.1;Database=conflict409", RequestTimeout);
        await using var asked = DatabaseConnections.Create("Host=127.0.0.1;Database=conflict409;No Reset On Close=false", RequestTimeout);

        new NpgsqlConnectionStringBuilder(pool.ConnectionString).NoResetOnClose.Should().BeTrue();
        new NpgsqlConnectionStringBuilder(asked.ConnectionString).NoResetOnClose.Should().BeFalse();
    }

    [Fact]
    public async Task Statements_are_prepared_and_a_connection_is_waited_for_half_the_request_timeout_by_default()
    {
        await using var pool = DatabaseConnections.Create("Host=127.0.0.1;Database=conflict409", RequestTimeout);

        var settings = new NpgsqlConnectionStringBuilder(pool.ConnectionString);
        settings.MaxAutoPrepare.Should().Be(32);
        settings.Timeout.Should().Be(5);
        settings.ApplicationName.Should().Be(DatabaseConnections.ApplicationName);
    }
}
