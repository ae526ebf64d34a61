using Conflict409.Api.Storage.Postgres;
using Npgsql;

namespace Conflict409.Api.Tests.Storage;

/// <summary>How the server's pool of PostgreSQL connections is set up from the connection string it is given.</summary>
public sealed class DatabaseConnectionsTests
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Returned_connections_are_not_reset_by_default()
    {
        await using var pool = DatabaseConnections.Create("Host=127.0.0.1;Database=conflict409", RequestTimeout);

        new NpgsqlConnectionStringBuilder(pool.ConnectionString).NoResetOnClose.Should().BeTrue();
    }

    [Theory]
    [InlineData("No Reset On Close=false;Max Auto Prepare=0;Timeout=3")]
    [InlineData("NoResetOnClose=false;MaxAutoPrepare=0;timeout=3")]
    public async Task The_connection_strings_own_settings_win_however_their_keywords_are_spelled(string settings)
    {
        await using var pool = DatabaseConnections.Create($"Host=127.0.0.1;Database=conflict409;{settings}", RequestTimeout);

        var built = new NpgsqlConnectionStringBuilder(pool.ConnectionString);
        built.NoResetOnClose.Should().BeFalse();
        built.MaxAutoPrepare.Should().Be(0);
        built.Timeout.Should().Be(3);
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
