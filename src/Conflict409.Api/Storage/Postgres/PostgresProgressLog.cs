using System.Globalization;
using System.Net;
using Conflict409.Api.Idempotency;
using Conflict409.Api.Progress;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Conflict409.Api.Storage.Postgres;

/// <summary>
/// The progress log in PostgreSQL (<see cref="ProgressObservationRow"/>). Appends are one statement per batch (the
/// grader's gather window), never one per request; each takes a transaction-scoped advisory lock before its ids are
/// drawn, so batches commit in id order: a reader that has seen id n has seen every id below n, and reading
/// <c>WHERE "Id" &gt; last</c> never skips a batch that committed late (a plain identity column would allow that).
/// The lock serialises appends only, one short insert every gather window per instance; requests never wait on it.
/// Each append also announces (NOTIFY, sent at commit) the instance's watermark on <see cref="Channel"/>, which every
/// instance hears on a connection of its own (LISTEN): nobody polls.
/// </summary>
public sealed class PostgresProgressLog(NpgsqlDataSource database, EndpointDataSource endpoints, string connectionString) : IProgressLog
{
    /// <summary>The channel of the log's announcements (<see cref="LogAnnouncement"/>).</summary>
    public const string Channel = "conflict409_progress";

    /// <summary>The listener's session name in pg_stat_activity: outside the pool, and told apart from the pool's sessions.</summary>
    public const string ListenerApplicationName = DatabaseConnections.ApplicationName + " progress listener";

    /// <summary>The endpoint a reset marker names: no endpoint has it (endpoint names have no ':').</summary>
    private const string ResetMarker = "progress:reset";

    /// <summary>An arbitrary key, "409" and the number: the advisory lock of the log's appends.</summary>
    private const string AppendLock = "409021";

    private const int ReadPage = 1_000;

    private const string Columns = """
        "At", "Instance", "Learner", "Address", "Endpoint", "Target", "Location", "Status", "ProblemType",
        "ProblemUsername", "ProblemBlockedBy", "RetryAfter", "AnsweredAt", "IdempotencyKey", "Conditional", "Replayed"
        """;

    // The lock is taken (the CTE is evaluated) before the first row is drawn, so before the first id is. blockedBy is
    // a list per row: sent as one text of JSON arrays, since PostgreSQL has no array of arrays of varying length.
    // synchronous_commit off for this transaction only: the log is derived (a lost last batch costs some board
    // entries after a database crash, never a user or an order), so its commits need not wait for the WAL to be
    // flushed, nor queue with the store's commits for it.
    private const string AppendSql = $"""
        WITH locked AS (SELECT pg_advisory_xact_lock({AppendLock}), set_config('synchronous_commit', 'off', true)), appended AS (
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
        RETURNING "Id"),
        -- Sent at commit, so whoever hears it can read the rows; a SELECT in WITH runs only when referenced.
        announced AS (SELECT pg_notify('{Channel}', $17))
        SELECT min("Id"), max("Id") FROM appended, announced
        """;

    private const string AnnounceSql = $"SELECT pg_notify('{Channel}', $1)";

    private const string ReadSql = $"""
        SELECT "Id", {Columns} FROM "ProgressObservations" WHERE "Id" > $1 AND "Id" NOT BETWEEN $3 AND $4 ORDER BY "Id" LIMIT $2
        """;

    private const string PruneSql = """
        DELETE FROM "ProgressObservations"
        WHERE "At" < $1 OR "Id" <= (SELECT max("Id") FROM "ProgressObservations") - $2
        """;

    // The endpoints are fixed once the server runs: looked up by name once.
    private Dictionary<string, Endpoint>? _byName;

    private readonly string _listenerConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
    {
        // A session of its own for as long as the server runs: never one of the pool's connections.
        Pooling = false,
        ApplicationName = ListenerApplicationName,
        KeepAlive = 10,
    }.ConnectionString;

    public async ValueTask<long> AppendAsync(IReadOnlyList<Observation> observations, LogAnnouncement announcement, CancellationToken cancellationToken)
    {
        var count = observations.Count;
        if (count == 0)
        {
            await using var announce = database.CreateCommand(AnnounceSql);
            announce.Parameters.Add(Parameter(Payload(announcement)));
            await announce.ExecuteNonQueryAsync(cancellationToken);
            return 0;
        }

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
            endpoint[i] = observation.ResetsBoard ? ResetMarker : GradedOperations.NameOf(observation.Endpoint);
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
        command.Parameters.Add(Parameter(Payload(announcement)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var first = reader.GetInt64(0);
        // Consecutive whenever only this statement draws ids (it does, under the lock); checked, not assumed.
        return reader.GetInt64(1) - first + 1 == count ? first : 0;
    }

    public async ValueTask<long> ReadAsync(
        long after, long skipFrom, int skipCount, Action<long, Observation> take, CancellationToken cancellationToken)
    {
        var last = skipCount > 0 ? skipFrom + skipCount - 1 : 0;
        int read;
        do
        {
            read = 0;
            await using var command = database.CreateCommand(ReadSql);
            command.Parameters.Add(Parameter(after));
            command.Parameters.Add(Parameter((long)ReadPage));
            command.Parameters.Add(Parameter(skipCount > 0 ? skipFrom : 1));
            command.Parameters.Add(Parameter(last));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                read++;
                after = reader.GetInt64(0);
                take(after, Read(reader));
            }
        }
        while (read == ReadPage);

        return Math.Max(after, last);
    }

    public async Task ListenAsync(Action<LogAnnouncement> heard, Action listening, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(_listenerConnectionString);
        connection.Notification += (_, notification) =>
        {
            if (TryParse(notification.Payload, out var announcement))
            {
                heard(announcement);
            }
        };
        await connection.OpenAsync(cancellationToken);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(cancellationToken);
        }

        listening();
        // Waits on the socket, sending nothing: an idle server costs the database nothing but this one session.
        while (true)
        {
            await connection.WaitAsync(cancellationToken);
        }
    }

    private Observation Read(NpgsqlDataReader reader)
    {
        var endpointName = reader.GetString(5);
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

        var reset = endpointName == ResetMarker;
        return new Observation(
            reader.GetFieldValue<DateTimeOffset>(1),
            Text(reader, 3),
            Text(reader, 4) is { } address ? IPAddress.Parse(address) : null,
            reset ? null : EndpointNamed(endpointName),
            Text(reader, 6),
            Text(reader, 7),
            reader.GetInt32(8),
            problem,
            reader.IsDBNull(12) ? null : reader.GetFieldValue<TimeSpan>(12),
            reader.IsDBNull(13) ? null : reader.GetFieldValue<DateTimeOffset>(13),
            HeadersOf(Text(reader, 14), reader.GetBoolean(16)),
            reader.GetBoolean(15),
            reader.GetString(2),
            ResetsBoard: reset);
    }

    private static string Payload(in LogAnnouncement announcement) => string.Create(
        CultureInfo.InvariantCulture, $"{(int)announcement.Kinds} {announcement.Watermark.UtcTicks} {announcement.Node:N}");

    private static bool TryParse(string payload, out LogAnnouncement announcement)
    {
        announcement = default;
        var parts = payload.Split(' ');
        if (parts.Length != 3
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kinds)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(parts[2], "N", out var node))
        {
            return false;
        }

        announcement = new LogAnnouncement(node, new DateTimeOffset(ticks, TimeSpan.Zero), (LogAnnouncementKinds)kinds);
        return true;
    }

    public async ValueTask PruneAsync(DateTimeOffset olderThan, int keep, CancellationToken cancellationToken)
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
