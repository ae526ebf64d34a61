// Lesson 4, 409 on GET (non-standard): page through the catalogue until the server blocks this client with 409
// blocked-by-rate-limit and Retry-After. It means "slow down": wait exactly Retry-After, then GET again.
//
//     dotnet run lesson4.cs    (.NET 10 or later; CONFLICT409_URL, CONFLICT409_LEARNER optional)
#:property PublishAot=false

var server = Environment.GetEnvironmentVariable("CONFLICT409_URL") ?? "http://localhost:5000";
using var http = new HttpClient { BaseAddress = new Uri(server) };
if (Environment.GetEnvironmentVariable("CONFLICT409_LEARNER") is { Length: > 0 } learner)
{
    http.DefaultRequestHeaders.Add("Learner", learner);
}

async Task<HttpResponseMessage> Get(string path)
{
    Console.WriteLine($"  → GET {path}");
    var response = await http.GetAsync(path);
    var text = await response.Content.ReadAsStringAsync();
    var retryAfter = response.Headers.RetryAfter is { } after ? $" [Retry-After: {after}]" : "";
    Console.WriteLine($"  ← {(int)response.StatusCode} {response.ReasonPhrase}{retryAfter} {text[..Math.Min(text.Length, 120)]}".TrimEnd());
    return response;
}

HttpResponseMessage blocked;
var sent = 0;
do
{
    blocked = await Get("/catalog/products?page=1");
}
while (blocked.IsSuccessStatusCode && ++sent < 100);

if ((int)blocked.StatusCode is not (409 or 429) || blocked.Headers.RetryAfter?.Delta is not { } wait)
{
    Console.Error.WriteLine($"✗ expected 409 with Retry-After, got {(int)blocked.StatusCode}: the server did not answer as lesson 4 says");
    return 1;
}

Console.WriteLine($"  Blocked: a GET cannot conflict, so this means slow down. Recovery: wait Retry-After ({wait.TotalSeconds} s), then retry.");
await Task.Delay(wait);
if (!(await Get("/catalog/products?page=1")).IsSuccessStatusCode)
{
    Console.Error.WriteLine("✗ expected 200 after waiting Retry-After");
    return 1;
}

Console.WriteLine("✓ recovered");
return 0;
