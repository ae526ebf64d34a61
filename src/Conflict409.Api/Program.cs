using Conflict409.Api.Clients;
using Conflict409.Api.Diagnostics;
using Conflict409.Api.Hosting;
using Conflict409.Api.Lessons;
using Conflict409.Api.OpenApi;
using Conflict409.Api.Problems;
using Conflict409.Api.Progress;
using Conflict409.Api.Storage;
using Conflict409.Api.Users;

// Installed as a .NET tool, the server is started from anywhere: its settings and lab are beside its assembly.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = ToolContentRoot.For(args) });
// `dotnet run` starts the server as Production, where the lab's assets and their compressed copies are found only
// through the build's static web assets manifest; without it a browser asking for gzip got 200 and no bytes. In the
// published output (no manifest) this does nothing.
builder.WebHost.UseStaticWebAssets();

builder.Services.AddServerInstance();
builder.Services.AddConflictLimits();
builder.Services.AddConflictProblemDetails();
builder.Services.AddConflictValidation();
builder.Services.AddConflictSwagger();
builder.Services.AddHealthChecks();
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddStore(builder.Configuration);
builder.Services.AddUserJson();
foreach (var lesson in LessonCatalog.Modules)
{
    lesson.AddServices(builder.Services);
}

builder.Services.AddClientFairness();
builder.Services.AddConflictTelemetry(builder.Configuration);
builder.Services.AddProgress();
builder.Services.AddStartupLinks();

var app = builder.Build();

// First: every answer, even the earliest refusal, names the instance that gave it (lesson 5).
app.UseServerInstance();
// Then: everything after it reads the client's address (ClientAddress), which a trusted proxy forwards.
app.UseTrustedProxies();
app.UseConflictProblemDetails();
app.UseConnectionsPerClient();
app.UseUtf8JsonOnly();
app.UseProgress();
app.UseConflictSwagger();
app.UseRateLimiter();
app.UseRequestTimeouts();
// Last: a lesson's middleware (the shop's session) sees only requests every guard above let through.
foreach (var lesson in LessonCatalog.Modules)
{
    lesson.UseMiddleware(app);
}

app.MapHealthChecks("/healthz");
// wwwroot (the race lab), served as endpoints: no middleware on the API's own requests.
app.MapStaticAssets();
// Every lesson's Swagger UI section lists the endpoints the lesson catalogue names for it.
var api = app.MapGroup("").WithLessonTags();
api.MapLessonEndpoints();
api.MapProblemEndpoints();
foreach (var lesson in LessonCatalog.Modules)
{
    lesson.MapEndpoints(api);
}

api.MapProgressEndpoints();

app.Run();
