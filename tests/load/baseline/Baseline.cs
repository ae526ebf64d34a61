#:sdk Microsoft.NET.Sdk.Web
#:package Npgsql@10.0.3
#:property PublishAot=false

using Npgsql;

// The ceiling for the load test: an endpoint of the same shape as POST /register (JSON in, 201 with a JSON
// body and Location out) with no validation, normalisation or problem details behind it. Without --Postgres
// it has no store at all; with --Postgres=<connection string> it does the one thing a PostgreSQL store must
// do per registration: one INSERT ... ON CONFLICT DO NOTHING RETURNING through a pooled NpgsqlDataSource,
// 201 when a row came back and a bare 409 when none did.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var connectionString = builder.Configuration["Postgres"];
var app = builder.Build();

if (connectionString is null)
{
    app.MapPost("/register", (RegisterRequest request) =>
        TypedResults.Created($"/users/{request.Username}", new RegistrationResponse("User registered successfully.", request.Username)));
}
else
{
    var dataSource = NpgsqlDataSource.Create(connectionString);
    await using (var create = dataSource.CreateCommand("""
        CREATE TABLE IF NOT EXISTS baseline_users (
            key text COLLATE "C" PRIMARY KEY, username text NOT NULL, registered_at timestamptz NOT NULL,
            display_name text, bio text, version bigint NOT NULL);
        INSERT INTO baseline_users VALUES ('john_doe', 'john_doe', now(), NULL, NULL, 1) ON CONFLICT DO NOTHING
        """))
    {
        await create.ExecuteNonQueryAsync();
    }

    app.MapPost("/register", async Task<IResult> (RegisterRequest request) =>
    {
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO baseline_users VALUES ($1, $1, $2, NULL, NULL, 1) ON CONFLICT (key) DO NOTHING RETURNING version
            """);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Username });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = DateTimeOffset.UtcNow });
        return await insert.ExecuteScalarAsync() is null
            ? TypedResults.Conflict()
            : TypedResults.Created($"/users/{request.Username}", new RegistrationResponse("User registered successfully.", request.Username));
    });
}

app.MapGet("/healthz", () => "Healthy");

app.Run();

internal sealed record RegisterRequest(string Username);

internal sealed record RegistrationResponse(string Message, string Username);
