using Microsoft.AspNetCore.Diagnostics;
using Conflict409.Api.Problems;
using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// A database that is down or unreachable is the server's temporary problem, not a bug: 503 with
/// Retry-After, never a 500 with a stack trace.
/// </summary>
public sealed class DatabaseUnavailableHandler : IExceptionHandler
{
    public static readonly TimeSpan RetryAfterDelay = TimeSpan.FromSeconds(5);

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception))
        {
            return false;
        }

        var seconds = RetryAfter.Set(httpContext.Response, RetryAfterDelay);
        return await ProblemTypes.DatabaseUnavailable.WriteAsync(
            httpContext, $"The server cannot reach its database right now. Retry after {seconds} s.");
    }

    private static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            // A PostgresException is the database answering (a constraint, a bug); anything else from Npgsql,
            // a missing database or schema while the migrator retries, or a database refusing more connections
            // (its max_connections or a role's limit, 53300: other clients hold them) means it cannot be reached.
            if (current is PostgresException
                {
                    SqlState: PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidCatalogName or PostgresErrorCodes.CannotConnectNow
                        or PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.TooManyConnections,
                }
                || (current is NpgsqlException and not PostgresException)
                || current is TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
