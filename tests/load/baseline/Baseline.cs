#:sdk Microsoft.NET.Sdk.Web
#:property PublishAot=false

// The ceiling for the load test: an endpoint of the same shape as POST /register (JSON in, 201 with a JSON
// body and Location out) with no store, validation, normalisation or problem details behind it.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

app.MapPost("/register", (RegisterRequest request) =>
    TypedResults.Created($"/users/{request.Username}", new RegistrationResponse("User registered successfully.", request.Username)));
app.MapGet("/healthz", () => "Healthy");

app.Run();

internal sealed record RegisterRequest(string Username);

internal sealed record RegistrationResponse(string Message, string Username);
