// Lesson 6, check-then-act: ten registrations of one fresh name at once, to the deliberately naive endpoint (several
// 201s: its check and its write are separate steps), then to /register (exactly one 201, 409 for the rest: its check
// is part of the write).
//
//     dotnet run lesson6.cs    (.NET 10 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
#:property PublishAot=false

using System.Net.Http.Json;
using System.Text.Json;

const int Racers = 10;
var server = Environment.GetEnvironmentVariable("CONFLICT409_URL") ?? "http://localhost:5000";
using var http = new HttpClient { BaseAddress = new Uri(server) };
if (Environment.GetEnvironmentVariable("CONFLICT409_LEARNER") is { Length: > 0 } learner)
{
    http.DefaultRequestHeaders.Add("Learner", learner);
}

async Task<int[]> Burst(string path, string username)
{
    Console.WriteLine($"  → {Racers} × POST {path} {JsonSerializer.Serialize(new { username })} at once");
    var answers = await Task.WhenAll(Enumerable.Range(0, Racers).Select(async _ =>
    {
        using var response = await http.PostAsJsonAsync(path, new { username });
        return (int)response.StatusCode;
    }));
    Array.Sort(answers);
    Console.WriteLine($"  ← {string.Join(", ", answers)}");
    return answers;
}

Console.WriteLine($"  → POST /lab/races {JsonSerializer.Serialize(new { racers = Racers })}");
using var planned = await http.PostAsJsonAsync("/lab/races", new { racers = Racers });
var text = await planned.Content.ReadAsStringAsync();
Console.WriteLine($"  ← {(int)planned.StatusCode} {planned.ReasonPhrase} {text}");
if ((int)planned.StatusCode != 201)
{
    Console.Error.WriteLine($"✗ expected 201, got {(int)planned.StatusCode}: the server did not answer as lesson 6 says");
    return 1;
}

var plan = JsonDocument.Parse(text).RootElement;
var username = plan.GetProperty("username").GetString()!;
var naive = await Burst(plan.GetProperty("naivePath").GetString()!, username);
var atomic = await Burst(plan.GetProperty("atomicPath").GetString()!, username);
if (naive.Count(status => status == 201) < 2)
{
    Console.Error.WriteLine("✗ expected several 201s from the naive endpoint");
    return 1;
}

if (atomic.Count(status => status == 201) != 1 || atomic.Count(status => status == 409) != Racers - 1)
{
    Console.Error.WriteLine("✗ expected exactly one 201 from /register and 409 for the rest");
    return 1;
}

Console.WriteLine($"  The naive endpoint accepted the name {naive.Count(status => status == 201)} times; /register once. Recovery, " +
    "for a client: a 409 from a correct server is lesson 0, pick another name. For the server: make the check part of the write.");
Console.WriteLine("✓ recovered");
return 0;
