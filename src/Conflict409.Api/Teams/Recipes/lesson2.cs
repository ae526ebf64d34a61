// Lesson 2, deleting what others reference: a team lists a user, so deleting the user is 409 user-referenced with
// the blockers in blockedBy. Recovery: delete each blocker first, then the user.
//
//     dotnet run lesson2.cs    (.NET 10 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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
        Fail($"expected {expect}, got {(int)response.StatusCode}: the server did not answer as lesson 2 says");
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

var names = (await Send(HttpMethod.Get, "/lessons/referenced-resource", null, 200)).Body.GetProperty("fixtures");
string Name(string fixture) => names.GetProperty(fixture).GetString()!;
await Send(HttpMethod.Post, "/register", new { username = Name("owner") }, 201);
await Send(HttpMethod.Post, "/register", new { username = Name("member") }, 201);
await Send(HttpMethod.Post, "/teams", new { name = Name("team"), owner = Name("owner"), members = new[] { Name("member") } }, 201);
var (refused, _) = await Send(HttpMethod.Delete, $"/users/{Name("member")}", null, 409);
Expect(refused, "/user-referenced");
var blockers = refused.GetProperty("blockedBy").EnumerateArray().Select(path => path.GetString()!).ToArray();
if (blockers.Length == 0)
{
    Fail("the problem names no blockers");
}

Console.WriteLine($"  Blocked by {string.Join(", ", blockers)}. Recovery: remove the blockers first, then delete again.");
foreach (var blocker in blockers)
{
    await Send(HttpMethod.Delete, blocker, null, 204);
}

await Send(HttpMethod.Delete, $"/users/{Name("member")}", null, 204);
Console.WriteLine("✓ recovered");
