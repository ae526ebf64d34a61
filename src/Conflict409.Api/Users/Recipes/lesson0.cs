// Lesson 0, duplicate registration: register a fresh name, register it again (409 username-taken), and recover the
// right way: ask for another name; never send the taken one again.
//
//     dotnet run lesson0.cs    (.NET 10 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
#:property PublishAot=false

using System.Net.Http.Json;
using System.Text.Json;

var server = Environment.GetEnvironmentVariable("CONFLICT409_URL") ?? "http://localhost:5000";
using var http = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = new Uri(server) };
if (Environment.GetEnvironmentVariable("CONFLICT409_LEARNER") is { Length: > 0 } learner)
{
    http.DefaultRequestHeaders.Add("Learner", learner);
}

async Task<(JsonElement Body, HttpResponseMessage Response)> Send(
    HttpMethod method, string path, object? body, int expect, string? header = null, string? value = null)
{
    var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
    if (header is not null)
    {
        request.Headers.Add(header, value);
    }

    Console.WriteLine($"  → {method} {path}{(header is null ? "" : $" [{header}: {value}]")}{(body is null ? "" : " " + JsonSerializer.Serialize(body))}");
    var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    var shown = string.Concat(new[] { "Location", "ETag", "Retry-After", "Idempotent-Replayed" }
        .Where(response.Headers.Contains).Select(name => $" [{name}: {string.Join(", ", response.Headers.GetValues(name))}]"));
    Console.WriteLine($"  ← {(int)response.StatusCode} {response.ReasonPhrase}{shown} {text[..Math.Min(text.Length, 300)]}".TrimEnd());
    if ((int)response.StatusCode != expect)
    {
        Fail($"expected {expect}, got {(int)response.StatusCode}: the server did not answer as lesson 0 says");
    }

    return (text.Length == 0 ? default : JsonDocument.Parse(text).RootElement, response);
}

static void Expect(JsonElement problem, string type)
{
    if (!problem.GetProperty("type").GetString()!.EndsWith(type, StringComparison.Ordinal))
    {
        Fail($"expected a {type[1..]} problem, got {problem.GetProperty("type")}");
    }
}

static void Fail(string message)
{
    Console.Error.WriteLine($"✗ {message}");
    Environment.Exit(1);
}

// Fresh names for this run, handed out by the lesson itself.
var names = (await Send(HttpMethod.Get, "/lessons/duplicate-registration", null, 200)).Body.GetProperty("fixtures");
var name = names.GetProperty("name").GetString();
await Send(HttpMethod.Post, "/register", new { username = name }, 201);
var (taken, _) = await Send(HttpMethod.Post, "/register", new { username = name }, 409);
Expect(taken, "/username-taken");
Console.WriteLine($"  {taken.GetProperty("existingUsername")} holds the name. Recovery: another name, not the same one again.");
await Send(HttpMethod.Post, "/register", new { username = names.GetProperty("other").GetString() }, 201);
Console.WriteLine("✓ recovered");
