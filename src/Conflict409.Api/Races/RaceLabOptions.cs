using System.ComponentModel.DataAnnotations;

namespace Conflict409.Api.Races;

/// <summary>
/// Lesson 6's bounds: how long the naive endpoint "thinks", and how much its per-client name lists may hold. Each
/// client (<see cref="Clients.ClientAddress"/>) races in a list of its own, so the naive lists hold at most
/// <see cref="NaiveClients"/> × <see cref="NaiveCapacity"/> names in all.
/// </summary>
public sealed class RaceLabOptions
{
    public const string SectionName = "RaceLab";

    /// <summary>The most racers one race may plan; the lab and the client's race command stay below it.</summary>
    public const int MaxRacers = 200;

    /// <summary>The longest pause a request may ask for between the naive check and the naive add.</summary>
    public const int MaxThinkTimeMs = 2_000;

    /// <summary>
    /// The naive endpoint's pause between check and add when a request names none: long enough that requests
    /// sent together are all inside it on any machine, including a browser's six connections opening one by one.
    /// </summary>
    [Range(0, MaxThinkTimeMs, ErrorMessage = "RaceLab:DefaultThinkTimeMs must be from {1} to {2}.")]
    public int DefaultThinkTimeMs { get; set; } = 300;

    /// <summary>How many names one client's naive list holds at most; then 507 until its DELETE /naive/names empties it.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RaceLab:NaiveCapacity must be from {1} to {2}.")]
    public int NaiveCapacity { get; set; } = 1_000;

    /// <summary>How many clients may have a naive list at once; a new client beyond them gets 507 until one falls idle.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RaceLab:NaiveClients must be from {1} to {2}.")]
    public int NaiveClients { get; set; } = 256;

    /// <summary>
    /// A client's naive list unused this long is forgotten when room is needed. At least a minute, so a list is never
    /// forgotten under a race still thinking (at most <see cref="MaxThinkTimeMs"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00", ErrorMessage = "RaceLab:NaiveIdleTimeout must be from {1} to {2}.")]
    public TimeSpan NaiveIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
