namespace Conflict409.Client;

/// <summary>Prints every request and response the tour makes, with the headers each lesson is about.</summary>
public sealed class TranscriptHandler(TextWriter output) : DelegatingHandler(new HttpClientHandler())
{
    private static readonly string[] InterestingHeaders =
        ["If-Match", "If-None-Match", "Idempotency-Key", "ETag", "Location", "Retry-After", "Idempotent-Replayed"];

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
            .Select(name => $" [{name}: {string.Join(", ", headers.GetValues(name))}]"));
}
