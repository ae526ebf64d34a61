using Conflict409.Api.Problems;
using Microsoft.Net.Http.Headers;

namespace Conflict409.Api.Hosting;

/// <summary>
/// JSON exchanged between systems is UTF-8 (RFC 8259 §8.1), so a charset parameter naming anything else is
/// an unsupported media type. Without this guard an unknown charset reaches the framework's JSON reader,
/// which throws InvalidOperationException and the client would see a 500 for its own mistake.
/// </summary>
public static class Utf8JsonGuard
{
    public static WebApplication UseUtf8JsonOnly(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            // Most requests name no charset at all: only parse the header when one might be there, and hand
            // the rest straight on, without an async frame of our own.
            var contentType = context.Request.ContentType;
            if (contentType is not null
                && contentType.Contains("charset", StringComparison.OrdinalIgnoreCase)
                && MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
                && mediaType.Charset is { Length: > 0 } charset
                && !charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase)
                && !charset.Equals("utf8", StringComparison.OrdinalIgnoreCase))
            {
                return RejectCharsetAsync(context, charset.ToString()).AsTask();
            }

            return next(context);
        });
        return app;
    }

    private static ValueTask<bool> RejectCharsetAsync(HttpContext context, string charset) =>
        ProblemTypes.UnsupportedMediaType.WriteAsync(
            context,
            $"The charset '{charset}' is not supported: JSON is UTF-8 (RFC 8259 §8.1). Drop the charset or send charset=utf-8.");
}
