using Conflict409.Client;

// dotnet run --project src/Conflict409.Client -- tour [--server http://localhost:5000]
// dotnet run --project src/Conflict409.Client -- race [--n 100] [--server http://localhost:5000]
const string Usage = "usage: Conflict409.Client tour [--server URL] | race [--n 2..200] [--server URL]";
if (args is not [("tour" or "race") and var command, .. var rest] || ReadOptions(rest) is not { } options
    || (command == "tour" && options.Racers is not null))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

var server = options.Server ?? "http://localhost:5000";
var baseAddress = new Uri(server.TrimEnd('/') + "/");
try
{
    if (command == "race")
    {
        // No transcript: the point is many requests at once, as many as the server lets one client connect (the plan says).
        using var raceHttp = new HttpClient { BaseAddress = baseAddress };
        var report = await new Conflict409Client(raceHttp).RaceAsync(
            options.Racers ?? 100, refused: plan => Console.Error.WriteLine($"{(int)plan.Status} {plan.Problem?.Title} {plan.Problem?.Detail}"));
        if (report is null)
        {
            return 1;
        }

        Console.WriteLine(report.ToTable());
        return report.AtomicHeld ? 0 : 1;
    }

    using var http = new HttpClient(new TranscriptHandler(Console.Out)) { BaseAddress = baseAddress };
    Console.WriteLine($"Touring the lessons of {server}\n");
    return await new Tour(new Conflict409Client(http), Console.Out).RunAsync();
}
catch (HttpRequestException unreachable)
{
    // The server could not be reached, or closed the connection before answering: say so, never a stack trace.
    Console.Error.WriteLine($"No answer from {server}: {unreachable.InnerException?.Message ?? unreachable.Message}");
    return 1;
}

static (string? Server, int? Racers)? ReadOptions(string[] options) => options switch
{
    [] => (null, null),
    ["--server", var url, .. var rest] when ReadOptions(rest) is { Server: null } more => (url, more.Racers),
    ["--n", var n, .. var rest] when int.TryParse(n, out var racers) && ReadOptions(rest) is { Racers: null } more => (more.Server, racers),
    _ => null,
};
