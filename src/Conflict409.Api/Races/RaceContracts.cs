using System.ComponentModel.DataAnnotations;

namespace Conflict409.Api.Races;

/// <param name="Racers">How many simultaneous registrations to send to each endpoint, 2 to 200.</param>
/// <param name="ThinkTimeMs">The naive endpoint's pause between check and add, 0 to 2000 ms; the server's default when absent.</param>
public sealed record RacePlanRequest(
    [property: Range(2, RaceLabOptions.MaxRacers)] int Racers,
    [property: Range(0, RaceLabOptions.MaxThinkTimeMs)] int? ThinkTimeMs = null);

/// <param name="Username">A fresh name: send it from every racer, to both endpoints.</param>
/// <param name="Racers">How many simultaneous requests to send to each endpoint.</param>
/// <param name="ThinkTimeMs">The naive endpoint's pause between check and add, already in <paramref name="NaivePath"/>.</param>
/// <param name="NaivePath">Where to send the naive burst (POST, {"username": ...}).</param>
/// <param name="AtomicPath">Where to send the same burst to the correct endpoint.</param>
/// <param name="OutcomePath">What each store holds for the name afterwards.</param>
/// <param name="Connections">
/// The most connections this server lets one client hold (Fairness:ConnectionsPerClient). Over HTTP/1.1 each request in
/// flight needs a connection, so send at most this many at once: those race, and the rest follow as answers come back.
/// A connection beyond it is refused with a 503 too-many-connections.
/// </param>
public sealed record RacePlan(string Username, int Racers, int ThinkTimeMs, string NaivePath, string AtomicPath, string OutcomePath, int Connections);

/// <param name="Username">The raced name.</param>
/// <param name="NaiveCopies">How many times the naive list holds it: one per 201 the naive endpoint sent.</param>
/// <param name="Registered">Whether the real store holds it (once, whatever the burst).</param>
public sealed record RaceOutcome(string Username, int NaiveCopies, bool Registered);

/// <param name="Message">Says, on every 201, that this endpoint is wrong on purpose.</param>
/// <param name="Username">The name as sent.</param>
/// <param name="Copies">How many times the naive list holds the name after this add: above 1, the race was lost.</param>
public sealed record NaiveRegistrationResponse(string Message, string Username, int Copies)
{
    public const string WarningMessage = "Registered by deliberately wrong check-then-act code: do not copy it.";
}
