using System.ComponentModel.DataAnnotations;

namespace Conflict409.Api.Races;

/// <summary>Lesson 6's bounds: how long the naive endpoint "thinks" and how many names its list keeps.</summary>
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

    /// <summary>How many names the naive list holds at most; then 507 until DELETE /naive/names empties it.</summary>
    [Range(1, 1_000_000, ErrorMessage = "RaceLab:NaiveCapacity must be from {1} to {2}.")]
    public int NaiveCapacity { get; set; } = 10_000;
}
