// Lesson 3, a retry while the first request is in flight: the first registration holds its Idempotency-Key
// (?holdMs=), so the same request sent meanwhile gets 409 idempotency-key-in-use with Retry-After. Recovery: wait
// exactly Retry-After, then send the same key and payload again: the first response is replayed.
//
//     dotnet run lesson3.cs    (.NET 10 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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
        Fail($"expected {expect}, got {(int)response.StatusCode}: the server did not answer as lesson 3 says");
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

var names = (await Send(HttpMethod.Get, "/lessons/idempotency-key", null, 200)).Body.GetProperty("fixtures");
const string Path = "/register?holdMs=4000";
var payload = new { username = names.GetProperty("held").GetString() };
var key = $"\"{names.GetProperty("heldKey").GetString()}\"";
// The first try: the server holds its key in flight for 4 s, as if the work took that long.
var first = Send(HttpMethod.Post, Path, payload, 201, "Idempotency-Key", key);
await Task.Delay(TimeSpan.FromSeconds(1)); // a moment later, the same request from "a second tab" (it must reach the server second)
var (inUse, conflict) = await Send(HttpMethod.Post, Path, payload, 409, "Idempotency-Key", key);
Expect(inUse, "/idempotency-key-in-use");
var wait = conflict.Headers.RetryAfter!.Delta!.Value;
Console.WriteLine($"  The key is in flight. Recovery: wait Retry-After ({wait.TotalSeconds} s), then the same key and payload.");
await Task.Delay(wait);
var (_, replayed) = await Send(HttpMethod.Post, Path, payload, 201, "Idempotency-Key", key);
await first;
if (!replayed.Headers.TryGetValues("Idempotent-Replayed", out var flag) || flag.Single() != "true")
{
    Fail("expected the first response, replayed");
}

Console.WriteLine("✓ recovered");
