using System.Globalization;

namespace Conflict409.Api.Problems;

/// <summary>The Retry-After header (RFC 9110 §10.2.3), written the one way every problem that carries it needs.</summary>
public static class RetryAfter
{
    /// <summary>
    /// Whole seconds, rounded up so a client that waits as told is not early, and at least 1: "0" would invite an
    /// immediate retry into the same refusal.
    /// </summary>
    public static long Seconds(TimeSpan wait) => Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds));

    /// <summary>Sets the header on <paramref name="response"/> and returns the seconds it says.</summary>
    public static long Set(HttpResponse response, TimeSpan wait)
    {
        var seconds = Seconds(wait);
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return seconds;
    }
}
