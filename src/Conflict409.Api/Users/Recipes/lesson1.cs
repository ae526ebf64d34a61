// Lesson 1, version mismatch: another client saves first, so our update names a stale version and gets 409
// version-mismatch. Recovery: re-read (GET), re-apply the change to the fresh copy, retry with the new version.
//
//     dotnet run lesson1.cs    (.NET 10 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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
        Fail($"expected {expect}, got {(int)response.StatusCode}: the server did not answer as lesson 1 says");
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

var user = (await Send(HttpMethod.Get, "/lessons/versioning", null, 200)).Body.GetProperty("fixtures").GetProperty("user").GetString();
await Send(HttpMethod.Post, "/register", new { username = user }, 201);
var (ours, _) = await Send(HttpMethod.Get, $"/users/{user}", null, 200);
var version = ours.GetProperty("version").GetInt64();
// Another client edits the same version first.
await Send(HttpMethod.Put, $"/users/{user}/profile", new { displayName = "Edited by B", version }, 200);
var (stale, _) = await Send(HttpMethod.Put, $"/users/{user}/profile", new { displayName = "Edited by A", version }, 409);
Expect(stale, "/version-mismatch");
Console.WriteLine("  Our copy is stale. Recovery: re-read, re-apply, retry with the new version.");
var (fresh, _) = await Send(HttpMethod.Get, $"/users/{user}", null, 200);
await Send(HttpMethod.Put, $"/users/{user}/profile",
    new { displayName = "Edited by A", bio = fresh.GetProperty("bio").GetString(), version = fresh.GetProperty("version").GetInt64() }, 200);
Console.WriteLine("✓ recovered");
