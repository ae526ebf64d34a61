using System.Net;

namespace Conflict409.Client;

/// <summary>
/// Prints every request and response the tour makes, with the headers each lesson is about. Underneath, a handler
/// that keeps cookies like a browser (or a scraper's persistent session): lesson 7's session lives in one.
/// </summary>
public sealed class TranscriptHandler(TextWriter output) : DelegatingHandler(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() })
{
    private static readonly string[] InterestingHeaders =
        ["If-Match", "If-None-Match", "Idempotency-Key", "X-Form-Token", "ETag", "Location", "Retry-After", "Idempotent-Replayed", "Set-Cookie"];

    // Cookie values and form tokens are long opaque strings: show their names and attributes, not the bytes.
    private static string Shorten(string name, string value)
    {
        var attributes = value.IndexOf(';', StringComparison.Ordinal);
        return name switch
        {
            "Set-Cookie" => value[..(value.IndexOf('=', StringComparison.Ordinal) + 1)] + "…" + (attributes < 0 ? "" : value[attributes..]),
            "X-Form-Token" when value.Length > 12 => value[..12] + "…",
            _ => value,
        };
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var requestBody = request.Content is null ? "" : " " + await request.Content.ReadAsStringAsync(cancellationToken);
        await output.WriteLineAsync($"  → {request.Method} {request.RequestUri?.PathAndQuery}{Headers(request.Headers)}{requestBody}");

        var response = await base.SendAsync(request, cancellationToken);
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var responseBody = await response.Content.ReadAsStringAsync(cancellationToken);
        await output.WriteLineAsync($"  ← {(int)response.StatusCode} {response.ReasonPhrase}{Headers(response.Headers)} {responseBody}".TrimEnd());
        return response;
    }

    private static string Headers(System.Net.Http.Headers.HttpHeaders headers) => string.Concat(
        InterestingHeaders
            .Where(name => headers.Contains(name))
            .Select(name => $" [{name}: {string.Join(", ", headers.GetValues(name).Select(value => Shorten(name, value)))}]"));
}
