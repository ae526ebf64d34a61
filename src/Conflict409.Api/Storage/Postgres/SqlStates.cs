using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

internal static class SqlStates
{
    /// <summary>Whether the exception, or one it wraps, is PostgreSQL's error with this SQLSTATE.</summary>
    public static bool Is(this Exception exception, string sqlState)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is PostgresException postgres && postgres.SqlState == sqlState)
            {
                return true;
            }
        }

        return false;
    }
}
