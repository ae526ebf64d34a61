using System.Data.Common;
using Conflict409.Api.Hosting;
using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>The server's one pool of PostgreSQL connections.</summary>
public static class DatabaseConnections
{
    /// <summary>Names this server's sessions in pg_stat_activity (see <see cref="DatabaseMigrator"/>).</summary>
    public const string ApplicationName = "Conflict409";

    private const int AutoPreparedStatements = 32;

    private static readonly string[] TimeoutKeywords = ["Timeout", "Connect Timeout", "Connection Timeout"];

    /// <summary>
    /// Builds the data source. When every pooled connection is busy a request queues for one, but not for
    /// longer than the connection string's <c>Timeout</c>: then Npgsql gives up and the request is a 503 with
    /// Retry-After (<see cref="DatabaseUnavailableHandler"/>). Unless the connection string says otherwise, that
    /// wait is half the request timeout, so an exhausted pool answers before the request timeout cuts it off.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString, TimeSpan requestTimeout)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        settings.ApplicationName ??= ApplicationName;
        // Npgsql's own builder answers for every keyword it knows; the plain one only for those the string sets.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!Sets(given, "Max Auto Prepare"))
        {
            // The store runs a handful of statements over and over: prepared on each connection after a few uses,
            // PostgreSQL parses and plans each once per connection instead of once per request.
            settings.MaxAutoPrepare = AutoPreparedStatements;
        }

        if (!Sets(given, "No Reset On Close"))
        {
            // The server keeps no state in a session (its advisory locks and settings are transaction-scoped; LISTEN
            // has a connection of its own, outside the pool), so resetting every returned connection only cost
            // PostgreSQL seven statements per request (tests/load/README.md, session 8).
            settings.NoResetOnClose = true;
        }

        if (!TimeoutKeywords.Any(keyword => Sets(given, keyword)))
        {
            settings.Timeout = Math.Max(1, (int)(requestTimeout.TotalSeconds / 2));
        }
        else if (TimeSpan.FromSeconds(settings.Timeout) >= requestTimeout)
        {
            throw new InvalidOperationException(
                $"The connection string's Timeout ({settings.Timeout} s) must be shorter than {nameof(ServerLimitsOptions.RequestTimeout)} " +
                $"({requestTimeout.TotalSeconds} s): a request waiting for a connection must be answered 503 with Retry-After, not cut off.");
        }

        return builder.Build();
    }

    /// <summary>Whether the connection string sets <paramref name="keyword"/>, which Npgsql reads with or without its
    /// spaces and in any case ("No Reset On Close", "NoResetOnClose").</summary>
    private static bool Sets(DbConnectionStringBuilder given, string keyword) =>
        given.Keys.Cast<string>().Any(key =>
            string.Equals(key.Replace(" ", ""), keyword.Replace(" ", ""), StringComparison.OrdinalIgnoreCase));
}
