using System.Globalization;
using System.Net;

namespace Conflict409.Client;

/// <summary>What one racer got: an HTTP status (with the problem's title, if any), or no answer at all.</summary>
/// <param name="Status">The status the server answered; null when the connection was refused or closed first.</param>
/// <param name="Explanation">The problem's title, or for no answer what went wrong with the connection.</param>
public sealed record RaceAnswer(HttpStatusCode? Status, string? Explanation = null)
{
    public string Describe() => Status is { } status
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)status} {Explanation ?? status.ToString()}")
        : $"no answer (the connection was refused or closed: {Explanation})";
}

/// <summary>Lesson 6's comparison: what each endpoint answered to the same burst, and what the server then held.</summary>
/// <param name="Outcome">What the server held afterwards; null when it could not be read.</param>
public sealed record RaceReport(RacePlan Plan, IReadOnlyList<RaceAnswer> Naive, IReadOnlyList<RaceAnswer> Atomic, RaceOutcome? Outcome)
{
    /// <summary>The correct endpoint held: exactly one racer got 201, however many got an answer at all.</summary>
    public bool AtomicHeld => Count(Atomic, HttpStatusCode.Created) == 1;

    /// <summary>How many racers sent at once: the whole burst, or as many as the server lets one client connect.</summary>
    public int AtOnce => Plan.Connections is > 0 and var connections ? Math.Min(connections, Plan.Racers) : Plan.Racers;

    public static int Count(IEnumerable<RaceAnswer> answers, HttpStatusCode status) => answers.Count(answer => answer.Status == status);

    public string ToTable()
    {
        const string NaiveEndpoint = "POST /naive/register (deliberately wrong)";
        const string AtomicEndpoint = "POST /register";

        static string Row(string endpoint, IReadOnlyList<RaceAnswer> answers, string holds)
        {
            var created = Count(answers, HttpStatusCode.Created);
            var conflict = Count(answers, HttpStatusCode.Conflict);
            return string.Create(CultureInfo.InvariantCulture,
                $"  {endpoint,-42}{created,5}{conflict,6}{answers.Count - created - conflict,7}  {holds}");
        }

        // Every answer that is neither 201 nor 409 is a counted row of its own that says what it was.
        static IEnumerable<string> Others(string endpoint, IReadOnlyList<RaceAnswer> answers) => answers
            .Where(answer => answer.Status is not (HttpStatusCode.Created or HttpStatusCode.Conflict))
            .GroupBy(answer => answer.Describe())
            .Select(kind => string.Create(CultureInfo.InvariantCulture, $"  other from {endpoint}: {kind.Count()} × {kind.Key}"));

        var copies = Outcome is null ? "(could not be read)"
            : Outcome.NaiveCopies == 1 ? "1 copy in your naive list" : $"{Outcome.NaiveCopies} copies in your naive list";
        var user = Outcome is null ? "(could not be read)" : Outcome.Registered ? "1 user" : "no user";
        var heading = AtOnce < Plan.Racers
            ? $"Race: {Plan.Racers} registrations of {Plan.Username} to each endpoint, {AtOnce} at once " +
              $"(the server's connections per client); naive think time {Plan.ThinkTimeMs} ms"
            : $"Race: {Plan.Racers} simultaneous registrations of {Plan.Username} to each endpoint (naive think time {Plan.ThinkTimeMs} ms)";
        return string.Join(Environment.NewLine,
            [
                heading,
                $"  {"endpoint",-42}{"201",5}{"409",6}{"other",7}  the server now holds",
                Row(NaiveEndpoint, Naive, copies),
                Row(AtomicEndpoint, Atomic, user),
                .. Others("POST /naive/register", Naive),
                .. Others(AtomicEndpoint, Atomic),
            ]);
    }
}
