using Conflict409.Client;

// dotnet run --project src/Conflict409.Client -- tour [--server http://localhost:5000]
if (args is not ["tour", .. var options] || options is not ([] or ["--server", _]))
{
    Console.Error.WriteLine("usage: Conflict409.Client tour [--server http://localhost:5000]");
    return 2;
}

var server = options is [_, var address] ? address : "http://localhost:5000";
using var http = new HttpClient(new TranscriptHandler(Console.Out)) { BaseAddress = new Uri(server.TrimEnd('/') + "/") };
Console.WriteLine($"Touring the lessons of {server}\n");
return await new Tour(new Conflict409Client(http), Console.Out).RunAsync();
