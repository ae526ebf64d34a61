using Conflict409.Api.Lessons;

namespace Conflict409.Api.Progress;

/// <summary>How a judge takes a request to an endpoint it watches (<see cref="ILessonJudge.Attend"/>).</summary>
public enum Attention
{
    /// <summary>Not this lesson's business this time.</summary>
    Ignore,

    /// <summary>Judged, but the board lists the request under another lesson that owns it.</summary>
    Judge,

    /// <summary>Judged, and the board lists the request under this lesson unless an earlier-consulted judge owns it.</summary>
    Own,

    /// <summary>This lesson's alone: no other judge sees it, and the board lists it here.</summary>
    Claim,
}

/// <summary>
/// The part of grading that knows one lesson's rule; it lives in the lesson's folder. The engine
/// (<see cref="LearnerProgress"/>) keeps one state per learner per judge, made by <see cref="CreateState"/> when the
/// learner first uses one of the judge's endpoints and dropped with the learner, and touches it only on the grader's
/// thread.
/// </summary>
/// <remarks>
/// When several lessons watch one endpoint, the later lesson builds on the earlier one's endpoint, so the engine
/// consults them latest first: a later lesson may claim a request for itself, its verdicts come first, and the
/// first that owns the request names the lesson the board lists it under (the earliest watcher when none does).
/// </remarks>
public interface ILessonJudge
{
    Lesson Lesson { get; }

    /// <summary>The names (<c>WithName</c>) of the endpoints whose requests it judges; each request to one is a board event.</summary>
    IReadOnlyList<string> WatchedEndpoints { get; }

    /// <summary>Its mistakes, in the order the board lists them.</summary>
    IReadOnlyList<Mistake> Mistakes { get; }

    /// <summary>Request headers the recorder must copy for it (<see cref="Observation.Header"/>).</summary>
    IReadOnlyList<string> RequestHeaders { get; }

    /// <summary>Response headers the recorder must copy for it (<see cref="Observation.Header"/>).</summary>
    IReadOnlyList<string> ResponseHeaders { get; }

    object CreateState();

    /// <summary>Decides, without changing <paramref name="state"/>, how this judge takes the request.</summary>
    Attention Attend(in Observation observation, string endpoint, object state);

    /// <summary>Judges a request to <paramref name="endpoint"/> (a watched endpoint's name) into verdicts.</summary>
    void Judge(in Observation observation, string endpoint, object state, VerdictSink verdicts);
}

/// <summary>A judge with its own state type; the engine never looks inside it.</summary>
public abstract class LessonJudge<TState> : ILessonJudge
    where TState : class, new()
{
    /// <summary>The client's timer and the server's clock are different clocks: a retry a hair early still waited.</summary>
    protected static readonly TimeSpan RetryAfterSlack = TimeSpan.FromMilliseconds(100);

    /// <summary>Resources a judge remembers per learner, at most: the oldest is forgotten first.</summary>
    private const int MaxRemembered = 16;

    public abstract Lesson Lesson { get; }

    public abstract IReadOnlyList<string> WatchedEndpoints { get; }

    public abstract IReadOnlyList<Mistake> Mistakes { get; }

    public virtual IReadOnlyList<string> RequestHeaders => [];

    public virtual IReadOnlyList<string> ResponseHeaders => [];

    public object CreateState() => new TState();

    public Attention Attend(in Observation observation, string endpoint, object state) => Attend(observation, endpoint, (TState)state);

    public void Judge(in Observation observation, string endpoint, object state, VerdictSink verdicts) =>
        Judge(observation, endpoint, (TState)state, verdicts);

    /// <summary>Most judges own every request to the endpoints they watch.</summary>
    protected virtual Attention Attend(in Observation observation, string endpoint, TState state) => Attention.Own;

    protected abstract void Judge(in Observation observation, string endpoint, TState state, VerdictSink verdicts);

    /// <summary>Remembers <paramref name="value"/> under <paramref name="key"/>, forgetting the oldest past the bound.</summary>
    protected static void Remember<TKey, TValue>(Dictionary<TKey, TValue> memory, TKey key, TValue value)
        where TKey : notnull
    {
        if (!memory.ContainsKey(key) && memory.Count >= MaxRemembered)
        {
            memory.Remove(memory.Keys.First());
        }

        memory[key] = value;
    }

    /// <summary>The last segment of a path, unescaped: the name in a created resource's Location or a problem's link.</summary>
    protected static string? LastSegment(string? path) =>
        path is { Length: > 0 } ? Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..]) : null;
}

/// <summary>Where a judge writes its verdicts: each is its lesson's.</summary>
public readonly struct VerdictSink(Lesson lesson, List<Verdict> verdicts)
{
    public void Conflict(string? label = null) => verdicts.Add(new(lesson, VerdictKind.Conflict, Label: label));

    public void Recovered(string? label = null) => verdicts.Add(new(lesson, VerdictKind.Recovered, Label: label));

    public void Mistake(Mistake mistake) => verdicts.Add(new(lesson, VerdictKind.Mistake, mistake));
}
