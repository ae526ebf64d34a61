using Conflict409.Api.Lessons;

namespace Conflict409.Api.Progress;

public enum VerdictKind
{
    Conflict,
    Recovered,
    Mistake,
}

/// <param name="Label">What the board shows for the request, where the lesson's words say it better than the kind's.</param>
public readonly record struct Verdict(Lesson Lesson, VerdictKind Kind, Mistake? Mistake = null, string? Label = null)
{
    public override string ToString() => Label ?? Kind switch
    {
        VerdictKind.Conflict => "conflict seen",
        VerdictKind.Recovered => "recovered",
        _ => $"mistake: {Mistake!.Id}",
    };
}

/// <summary>What was observed of one lesson: conflicts provoked, recoveries, and mistakes by kind.</summary>
public sealed class LessonTally
{
    public int Conflicts { get; set; }

    public int Recoveries { get; set; }

    // Mistakes and lessons are the catalogue's singletons: compared by reference, not by hashing every string of
    // the record (a lesson's whole explanation) on each lookup.
    public Dictionary<Mistake, int> Mistakes { get; } = new(ReferenceEqualityComparer.Instance);
}

/// <summary>
/// One learner's progress, judged request by request in the order the grader receives them. Each lesson's judge
/// (<see cref="ILessonJudge"/>) keeps here its own state for this learner, made when the learner first uses one of the
/// judge's endpoints, and bounded by the judge. Only the grader's thread touches it, under the boards' lock.
/// </summary>
/// <param name="owner">The address (<see cref="Clients.ClientAddress.Partition"/>) whose board this is.</param>
public sealed class LearnerProgress(Learner learner, string owner)
{
    private const int MaxShownTargetLength = 64;

    private readonly Dictionary<ILessonJudge, object> _states = new(ReferenceEqualityComparer.Instance);

    // A judge watches several endpoints: each endpoint's array holds the same state objects as _states.
    private readonly Dictionary<GradedEndpoint, object[]> _statesByEndpoint = new(ReferenceEqualityComparer.Instance);

    public Learner Learner { get; } = learner;

    public string Owner { get; } = owner;

    public long Version { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    /// <summary>With a shared log: a request of the log was graded on it, so its owner is the log's, not a provisional claim.</summary>
    public bool Logged { get; set; }

    public Dictionary<Lesson, LessonTally> Tallies { get; } = new(ReferenceEqualityComparer.Instance);

    public Queue<ProgressEvent> Events { get; } = new();

    /// <summary>Judges one request into <paramref name="verdicts"/> (emptied first: the caller's list, reused request after request).</summary>
    public void Grade(in Observation observation, GradedEndpoint endpoint, int maxEvents, List<Verdict> verdicts)
    {
        verdicts.Clear();
        var judges = endpoint.Judges;
        Span<Attention> attention = stackalloc Attention[judges.Count];
        var claimed = -1;
        Lesson? owner = null;
        var states = StatesOf(endpoint);
        for (var i = 0; i < judges.Count && claimed < 0; i++)
        {
            attention[i] = judges[i].Attend(observation, endpoint.Name, states[i]);
            if (attention[i] == Attention.Claim)
            {
                claimed = i;
            }
            else if (attention[i] == Attention.Own)
            {
                owner ??= judges[i].Lesson;
            }
        }

        for (var i = 0; i < judges.Count; i++)
        {
            if (claimed < 0 ? attention[i] != Attention.Ignore : i == claimed)
            {
                var judge = judges[i];
                judge.Judge(observation, endpoint.Name, states[i], new VerdictSink(judge.Lesson, verdicts));
            }
        }

        var lesson = claimed >= 0 ? judges[claimed].Lesson : owner ?? judges[^1].Lesson;
        var judgements = verdicts.Count == 0 ? [] : new string[verdicts.Count];
        for (var i = 0; i < verdicts.Count; i++)
        {
            Tally(verdicts[i]);
            judgements[i] = verdicts[i].ToString();
        }

        LastSeen = observation.At;
        Events.Enqueue(new ProgressEvent(
            observation.At, Describe(observation, endpoint), observation.Status, observation.Problem?.Type, lesson.Id,
            judgements, observation.Instance));
        while (Events.Count > maxEvents)
        {
            Events.Dequeue();
        }
    }

    /// <summary>This learner's state of each of <paramref name="endpoint"/>'s judges, in the endpoint's order.</summary>
    private object[] StatesOf(GradedEndpoint endpoint)
    {
        if (!_statesByEndpoint.TryGetValue(endpoint, out var states))
        {
            _statesByEndpoint[endpoint] = states = [.. endpoint.Judges.Select(StateOf)];
        }

        return states;
    }

    private object StateOf(ILessonJudge judge)
    {
        if (!_states.TryGetValue(judge, out var state))
        {
            _states[judge] = state = judge.CreateState();
        }

        return state;
    }

    private void Tally(Verdict verdict)
    {
        if (!Tallies.TryGetValue(verdict.Lesson, out var tally))
        {
            Tallies[verdict.Lesson] = tally = new LessonTally();
        }

        switch (verdict.Kind)
        {
            case VerdictKind.Conflict:
                tally.Conflicts++;
                break;
            case VerdictKind.Recovered:
                tally.Recoveries++;
                break;
            default:
                tally.Mistakes[verdict.Mistake!] = tally.Mistakes.GetValueOrDefault(verdict.Mistake!) + 1;
                break;
        }
    }

    /// <summary>The request as the learner would write it: method and path, the route value bounded and escaped.</summary>
    private static string Describe(in Observation observation, GradedEndpoint endpoint)
    {
        if (observation.Target is not { } target || endpoint.Parameter is not { } parameter)
        {
            return endpoint.Request;
        }

        var shown = target.Length > MaxShownTargetLength
            ? Uri.EscapeDataString(target[..MaxShownTargetLength]) + "…"
            : Uri.EscapeDataString(target);
        return endpoint.Request.Replace(parameter, shown, StringComparison.Ordinal);
    }
}
