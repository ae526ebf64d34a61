using System.Net;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Progress;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// The progress log in PostgreSQL (<see cref="ProgressObservationRow"/>). Appends are one statement per batch (the
/// grader's gather window), never one per request; each takes a transaction-scoped advisory lock before its ids are
/// drawn, so batches commit in id order: a reader that has seen id n has seen every id below n, and polling
/// <c>WHERE "Id" &gt; last</c> never skips a batch that committed late (a plain identity column would allow that).
/// The lock serialises appends only, one short insert every gather window per instance; requests never wait on it.
/// </summary>
public sealed class PostgresProgressLog(NpgsqlDataSource database, EndpointDataSource endpoints) : IProgressLog
{
    /// <summary>An arbitrary key, "409" and the number: the advisory lock of the log's appends.</summary>
    private const string AppendLock = "409021";

    private const int ReplayPage = 1_000;

    private const string Columns = """
        "At", "Instance", "Learner", "Address", "Endpoint", "Target", "Location", "Status", "ProblemType",
        "ProblemUsername", "ProblemBlockedBy", "RetryAfter", "AnsweredAt", "IdempotencyKey", "Conditional", "Replayed"
        """;

    // The lock is taken (the CTE is evaluated) before the first row is drawn, so before the first id is. blockedBy is
    // a list per row: sent as one text of JSON arrays, since PostgreSQL has no array of arrays of varying length.
    private const string AppendSql = $"""
        WITH locked AS (SELECT pg_advisory_xact_lock({AppendLock})), appended AS (
        INSERT INTO "ProgressObservations" ({Columns})
        SELECT o.at, o.instance, o.learner, o.address, o.endpoint, o.target, o.location, o.status, o.problem_type,
               o.problem_username,
               CASE WHEN o.blocked_by IS NULL THEN NULL ELSE ARRAY(SELECT json_array_elements_text(o.blocked_by::json)) END,
               o.retry_after, o.answered_at, o.idempotency_key, o.conditional, o.replayed
        FROM locked, unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::int[], $9::text[], $10::text[], $11::text[], $12::interval[], $13::timestamptz[],
                            $14::text[], $15::bool[], $16::bool[]) WITH ORDINALITY
            AS o (at, instance, learner, address, endpoint, target, location, status, problem_type, problem_username,
                  blocked_by, retry_after, answered_at, idempotency_key, conditional, replayed, position)
        ORDER BY o.position
        RETURNING "Id")
        SELECT min("Id"), max("Id") FROM appended
        """;

    private const string ReplaySql = $"""
        SELECT "Id", {Columns} FROM "ProgressObservations" WHERE "Id" > $1 AND "Id" NOT BETWEEN $3 AND $4 ORDER BY "Id" LIMIT $2
        """;

    private const string PruneSql = """
        DELETE FROM "ProgressObservations"
        WHERE "At" < $1 OR "Id" <= (SELECT max("Id") FROM "ProgressObservations") - $2
        """;

    // The endpoints are fixed once the server runs: looked up by name once.
    private Dictionary<string, Endpoint>? _byName;

    public async ValueTask<long> AppendObservationsAsync(IReadOnlyList<Observation> observations, CancellationToken cancellationToken)
    {
        var count = observations.Count;
        var at = new DateTimeOffset[count];
        var instance = new string?[count];
        var learner = new string?[count];
        var address = new string?[count];
        var endpoint = new string?[count];
        var target = new string?[count];
        var location = new string?[count];
        var status = new int[count];
        var problemType = new string?[count];
        var problemUsername = new string?[count];
        var blockedBy = new string?[count];
        var retryAfter = new TimeSpan?[count];
        var answeredAt = new DateTimeOffset?[count];
        var idempotencyKey = new string?[count];
        var conditional = new bool[count];
        var replayed = new bool[count];
        for (var i = 0; i < count; i++)
        {
            var observation = observations[i];
            at[i] = observation.At;
            instance[i] = observation.Instance ?? "";
            learner[i] = observation.LearnerName;
            address[i] = observation.Address?.ToString();
            endpoint[i] = GradedOperations.NameOf(observation.Endpoint);
            target[i] = observation.Target;
            location[i] = observation.Location;
            status[i] = observation.Status;
            var problem = observation.Problem;
            problemType[i] = problem?.Type;
            if (problem is not null)
            {
                problemUsername[i] = problem.Extensions.TryGetValue("username", out var username) ? username as string : null;
                blockedBy[i] = problem.Extensions.TryGetValue("blockedBy", out var paths) && paths is IEnumerable<string> listed
                    ? System.Text.Json.JsonSerializer.Serialize(listed.ToArray(), ProgressLogJson.Default.StringArray)
                    : null;
            }

            retryAfter[i] = observation.RetryAfter;
            answeredAt[i] = observation.AnsweredAt;
            idempotencyKey[i] = observation.Header(IdempotencyKey.HeaderName);
            conditional[i] = observation.Conditional;
            replayed[i] = observation.Header(IdempotencyFilter<object>.ReplayedHeaderName) is not null;
        }

        await using var command = database.CreateCommand(AppendSql);
        command.Parameters.Add(Parameter(at));
        command.Parameters.Add(Parameter(instance));
        command.Parameters.Add(Parameter(learner));
        command.Parameters.Add(Parameter(address));
        command.Parameters.Add(Parameter(endpoint));
        command.Parameters.Add(Parameter(target));
        command.Parameters.Add(Parameter(location));
        command.Parameters.Add(Parameter(status));
        command.Parameters.Add(Parameter(problemType));
        command.Parameters.Add(Parameter(problemUsername));
        command.Parameters.Add(Parameter(blockedBy));
        command.Parameters.Add(Parameter(retryAfter));
        command.Parameters.Add(Parameter(answeredAt));
        command.Parameters.Add(Parameter(idempotencyKey));
        command.Parameters.Add(Parameter(conditional));
        command.Parameters.Add(Parameter(replayed));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var first = reader.GetInt64(0);
        // Consecutive whenever only this statement draws ids (it does, under the lock); checked, not assumed.
        return reader.GetInt64(1) - first + 1 == count ? first : 0;
    }

    public async ValueTask<long> ReplayObservationsAsync(
        long after, long appendedFrom, IReadOnlyList<Observation> appended, Action<Observation> grade, CancellationToken cancellationToken)
    {
        var own = appendedFrom > 0 ? appended.Count : 0;
        var next = 0;
        int read;
        do
        {
            read = 0;
            await using var command = database.CreateCommand(ReplaySql);
            command.Parameters.Add(Parameter(after));
            command.Parameters.Add(Parameter((long)ReplayPage));
            command.Parameters.Add(Parameter(own > 0 ? appendedFrom : 1));
            command.Parameters.Add(Parameter(own > 0 ? appendedFrom + own - 1 : 0));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                read++;
                after = reader.GetInt64(0);
                // This instance's own, just appended, interleave with the others' by position.
                for (; next < own && appendedFrom + next < after; next++)
                {
                    grade(AsStored(appended[next]));
                }

                var problemType = reader.IsDBNull(9) ? null : reader.GetString(9);
                ProblemDetails? problem = null;
                if (problemType is not null)
                {
                    problem = new ProblemDetails { Type = problemType };
                    if (!reader.IsDBNull(10))
                    {
                        problem.Extensions["username"] = reader.GetString(10);
                    }

                    if (!reader.IsDBNull(11))
                    {
                        problem.Extensions["blockedBy"] = reader.GetFieldValue<string[]>(11);
                    }
                }

                grade(new Observation(
                    reader.GetFieldValue<DateTimeOffset>(1),
                    Text(reader, 3),
                    Text(reader, 4) is { } address ? IPAddress.Parse(address) : null,
                    EndpointNamed(reader.GetString(5)),
                    Text(reader, 6),
                    Text(reader, 7),
                    reader.GetInt32(8),
                    problem,
                    reader.IsDBNull(12) ? null : reader.GetFieldValue<TimeSpan>(12),
                    reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
                    HeadersOf(Text(reader, 14), reader.GetBoolean(16)),
                    reader.GetBoolean(15),
                    reader.GetString(2)));
            }
        }
        while (read == ReplayPage);

        // The rest of its own come after every row read: any row not read yet was committed after them.
        for (; next < own; next++)
        {
            grade(AsStored(appended[next]));
        }

        return own > 0 ? Math.Max(after, appendedFrom + own - 1) : after;
    }

    public async ValueTask PruneObservationsAsync(DateTimeOffset olderThan, int keep, CancellationToken cancellationToken)
    {
        await using var command = database.CreateCommand(PruneSql);
        command.Parameters.Add(Parameter(olderThan));
        command.Parameters.Add(Parameter((long)keep));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The endpoint a row names. Looked up again when a name is missing: the grader may first read before the
    /// server has built its endpoints.
    /// </summary>
    private Endpoint? EndpointNamed(string name)
    {
        if (_byName is null || !_byName.TryGetValue(name, out var endpoint))
        {
            _byName = endpoints.Endpoints
                .Select(endpoint => (Name: GradedOperations.NameOf(endpoint), Endpoint: endpoint))
                .Where(named => named.Name is not null)
                .DistinctBy(named => named.Name)
                .ToDictionary(named => named.Name!, named => named.Endpoint, StringComparer.Ordinal);
            endpoint = _byName.GetValueOrDefault(name);
        }

        return endpoint;
    }

    /// <summary>An own observation as another instance reads it back: timestamptz keeps microseconds, not ticks.</summary>
    private static Observation AsStored(in Observation observation) => observation with
    {
        At = ToMicroseconds(observation.At),
        AnsweredAt = observation.AnsweredAt is { } answeredAt ? ToMicroseconds(answeredAt) : null,
    };

    private static DateTimeOffset ToMicroseconds(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMicrosecond));

    /// <summary>The judges' headers, as the columns keep them (the lesson-3 key, and whether its response was a replay).</summary>
    private static KeyValuePair<string, string>[]? HeadersOf(string? idempotencyKey, bool replayed) =>
        idempotencyKey is null
            ? null
            : replayed
                ? [new(IdempotencyKey.HeaderName, idempotencyKey), new(IdempotencyFilter<object>.ReplayedHeaderName, "true")]
                : [new(IdempotencyKey.HeaderName, idempotencyKey)];

    private static string? Text(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlParameter<T> Parameter<T>(T value) => new() { TypedValue = value };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class ProgressLogJson : System.Text.Json.Serialization.JsonSerializerContext;
