using System.Globalization;

namespace Conflict409.Api.Idempotency;

/// <summary>
/// Lesson 3 by hand: <c>?holdMs=</c> keeps a request's Idempotency-Key in flight that long before the work starts,
/// so that a person can send the same request from a second terminal or tab and see the 409 that two requests sent
/// "at once" by hand almost never produce (the first has usually finished before the second arrives). What it
/// does for the learner is <see cref="IdempotencyRules.Hold"/>.
/// </summary>
public static class IdempotencyHold
{
    public const string QueryName = "holdMs";

    /// <summary>
    /// Long enough to switch terminal or tab and send again (a few seconds), and well inside RequestTimeout (10 s by
    /// default), which would cut a longer hold off with 503 and release the key.
    /// </summary>
    public const int MaxMs = 8_000;

    /// <summary>
    /// What the held request still does after the hold: one registration and the recording of its response. Added to
    /// the hold in the key's record, so that a client that waits Retry-After finds the response stored, not the key
    /// still in flight a few milliseconds past the hold.
    /// </summary>
    public static readonly TimeSpan WorkAllowance = TimeSpan.FromMilliseconds(250);

    public static readonly string RangeError = $"{QueryName} must be a whole number of milliseconds from 0 to {MaxMs}.";

    public static readonly string KeyRequiredError =
        $"{QueryName} holds an Idempotency-Key in flight: send the {IdempotencyKey.HeaderName} header too, or leave {QueryName} out.";

    /// <summary>Whether the request asks for a hold at all; cheap for the many requests with no query string.</summary>
    public static bool IsRequested(HttpRequest request) => request.QueryString.HasValue && request.Query.ContainsKey(QueryName);

    /// <summary>The hold the request asks for (zero when none), or false when it is not one value in range.</summary>
    public static bool TryRead(HttpRequest request, out TimeSpan hold)
    {
        hold = TimeSpan.Zero;
        if (!IsRequested(request))
        {
            return true;
        }

        var values = request.Query[QueryName];
        if (values.Count != 1
            || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var milliseconds)
            || milliseconds > MaxMs)
        {
            return false;
        }

        hold = TimeSpan.FromMilliseconds(milliseconds);
        return true;
    }
}
