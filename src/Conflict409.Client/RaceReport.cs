using System.Globalization;
using System.Net;

namespace Conflict409.Client;

/// <summary>Lesson 6's comparison: what each endpoint answered to the same burst, and what the server then held.</summary>
public sealed record RaceReport(RacePlan Plan, IReadOnlyList<HttpStatusCode> Naive, IReadOnlyList<HttpStatusCode> Atomic, RaceOutcome Outcome)
{
    /// <summary>The correct endpoint held: exactly one racer got 201, every other one 409.</summary>
    public bool AtomicHeld =>
        Count(Atomic, HttpStatusCode.Created) == 1 && Count(Atomic, HttpStatusCode.Conflict) == Atomic.Count - 1;

    public static int Count(IEnumerable<HttpStatusCode> statuses, HttpStatusCode status) => statuses.Count(answer => answer == status);

    public string ToTable()
    {
        static string Row(string endpoint, IReadOnlyList<HttpStatusCode> statuses, string holds)
        {
            var created = Count(statuses, HttpStatusCode.Created);
            var conflict = Count(statuses, HttpStatusCode.Conflict);
            return string.Create(CultureInfo.InvariantCulture,
                $"  {endpoint,-42}{created,5}{conflict,6}{statuses.Count - created - conflict,7}  {holds}");
        }

        var copies = Outcome.NaiveCopies == 1 ? "1 copy" : $"{Outcome.NaiveCopies} copies";
        return string.Join(Environment.NewLine,
            $"Race: {Plan.Racers} simultaneous registrations of {Plan.Username} to each endpoint (naive think time {Plan.ThinkTimeMs} ms)",
            $"  {"endpoint",-42}{"201",5}{"409",6}{"other",7}  the server now holds",
            Row("POST /naive/register (deliberately wrong)", Naive, $"{copies} in the naive list"),
            Row("POST /register", Atomic, Outcome.Registered ? "1 user" : "no user"));
    }
}
