// Lesson 7, a stale session: this client keeps cookies like a scraper's session. Another tab changes the cart after
// our page was read, so checkout is 409 stale-session. Recovery: re-read the page (GET /shop/cart), check what
// changed, then submit again.
//
//     dotnet run lesson7.cs    (.NET 10 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
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
        Fail($"expected {expect}, got {(int)response.StatusCode}: the server did not answer as lesson 7 says");
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

var (page, _) = await Send(HttpMethod.Get, "/shop/cart", null, 200);
var token = page.GetProperty("formToken").GetString();
// Another tab adds an item: the cart moves on, our page does not.
await Send(HttpMethod.Post, "/shop/cart/items", new { productId = 2 }, 201, "X-Form-Token", token);
var (stale, _) = await Send(HttpMethod.Post, "/shop/checkout", null, 409, "X-Form-Token", token);
Expect(stale, "/stale-session");
Console.WriteLine($"  Our page showed revision {page.GetProperty("revision")}. Recovery: re-read the page, then submit again.");
(page, _) = await Send(HttpMethod.Get, "/shop/cart", null, 200);
await Send(HttpMethod.Post, "/shop/checkout", null, 200, "X-Form-Token", page.GetProperty("formToken").GetString());
Console.WriteLine("✓ recovered");
