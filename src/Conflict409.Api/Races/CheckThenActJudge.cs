using Conflict409.Api.Lessons;
using Conflict409.Api.Progress;
using Conflict409.Api.Users;

namespace Conflict409.Api.Races;

/// <summary>
/// Lesson 6 on the board: two 201s from the naive endpoint for one planned name mean the client ran the race (and the
/// naive code lost it); the same burst sent to /register, which answers exactly one 201 and 409 for the rest, recovers.
/// A registration of a raced name is this lesson's alone: its 409s are the race's, not blind retries.
/// </summary>
public sealed class CheckThenActJudge : LessonJudge<CheckThenActJudge.State>
{
    /// <summary>Lesson 6's conflict is a 201 the naive endpoint should not have sent, not a 409 the learner received.</summary>
    public const string NaiveDuplicateLabel = "naive endpoint: duplicate accepted (conflict seen)";

    /// <summary>Lesson 6's recovery is /register answering the same burst right, not anything the learner repaired.</summary>
    public const string AtomicAnswerLabel = "atomic endpoint: one 201, the rest 409 (recovered)";

    public sealed class State
    {
        public Dictionary<UsernameKey, RaceTally> Races { get; } = [];
    }

    /// <summary>Per raced name: the 201s of the naive endpoint, and what /register answered the same burst.</summary>
    public sealed class RaceTally
    {
        public int NaiveCreated { get; set; }

        public int AtomicCreated { get; set; }

        public int AtomicTaken { get; set; }

        public bool Recovered { get; set; }
    }

    public override Lesson Lesson => CheckThenActLesson.Entry;

    public override IReadOnlyList<string> WatchedEndpoints { get; } =
        [nameof(RegistrationEndpoints.Register), nameof(RaceEndpoints.RegisterNaively), nameof(RaceEndpoints.PlanRace)];

    public override IReadOnlyList<Mistake> Mistakes { get; } = [];

    protected override Attention Attend(in Observation observation, string endpoint, State state) =>
        endpoint != nameof(RegistrationEndpoints.Register) ? Attention.Own
        // Only a raced name makes a registration this lesson's: without a race, the name is not worked out at all.
        : state.Races.Count > 0 && RegisteredName(observation) is { } name && state.Races.ContainsKey(name) ? Attention.Claim
        : Attention.Ignore;

    protected override void Judge(in Observation observation, string endpoint, State state, VerdictSink verdicts)
    {
        if (endpoint == nameof(RegistrationEndpoints.Register))
        {
            JudgeAtomicRace(observation, state.Races[RegisteredName(observation)!.Value], verdicts);
        }
        else if (NameIn(observation.Location) is { } raced)
        {
            if (endpoint == nameof(RaceEndpoints.PlanRace))
            {
                Remember(state.Races, raced, new RaceTally());
            }
            else
            {
                JudgeNaiveRace(state, raced, verdicts);
            }
        }
    }

    private static void JudgeNaiveRace(State state, UsernameKey name, VerdictSink verdicts)
    {
        if (!state.Races.TryGetValue(name, out var race))
        {
            Remember(state.Races, name, race = new RaceTally());
        }

        if (++race.NaiveCreated == 2)
        {
            verdicts.Conflict(NaiveDuplicateLabel);
        }

        JudgeRaceOutcome(race, verdicts);
    }

    private static void JudgeAtomicRace(in Observation observation, RaceTally race, VerdictSink verdicts)
    {
        if (observation.Status == StatusCodes.Status201Created)
        {
            race.AtomicCreated++;
        }
        else if (observation.Status == StatusCodes.Status409Conflict)
        {
            race.AtomicTaken++;
        }

        JudgeRaceOutcome(race, verdicts);
    }

    private static void JudgeRaceOutcome(RaceTally race, VerdictSink verdicts)
    {
        if (!race.Recovered && race.NaiveCreated >= 2 && race.AtomicCreated == 1 && race.AtomicTaken >= 1)
        {
            race.Recovered = true;
            verdicts.Recovered(AtomicAnswerLabel);
        }
    }

    /// <summary>The name a registration was about: from the 409's problem, or the 201's Location.</summary>
    private static UsernameKey? RegisteredName(in Observation observation) =>
        DuplicateRegistrationJudge.TakenNameIn(observation) is { } taken ? UsernameKey.From(taken) : NameIn(observation.Location);

    /// <summary>The last segment of a created resource's path, e.g. /users/{name} or /lab/races/{name}.</summary>
    private static UsernameKey? NameIn(string? location) => LastSegment(location) is { } name ? UsernameKey.From(name) : null;
}
