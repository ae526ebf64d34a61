namespace Conflict409.Api.Progress;

/// <summary>What the server observed of one learner's client, lesson by lesson.</summary>
/// <param name="Learner">The name from the Learner header, or the client's address.</param>
/// <param name="IdentifiedBy">"header" or "address".</param>
/// <param name="Recording">False when the server was started with Progress:Enabled=false.</param>
/// <param name="Version">Grows with every change; 0 for a learner the server has not seen (or has forgotten).</param>
/// <param name="Events">The most recent graded requests, oldest first.</param>
public sealed record ProgressBoard(
    string Learner,
    string IdentifiedBy,
    bool Recording,
    long Version,
    IReadOnlyList<LessonProgressView> Lessons,
    IReadOnlyList<ProgressEvent> Events);

/// <param name="State">"not-started", "conflict-seen", "recovered", or "not-graded".</param>
/// <param name="Conflicts">How often the lesson's conflict (409, or the 412/422/428/429 neighbour) was provoked.</param>
/// <param name="Recoveries">How often the client then recovered the right way.</param>
/// <param name="Recovery">How a well-behaved client recovers, from the lesson catalogue.</param>
public sealed record LessonProgressView(
    string Id,
    string Title,
    string State,
    int Conflicts,
    int Recoveries,
    string Recovery,
    IReadOnlyList<MistakeView> Mistakes);

public sealed record MistakeView(string Id, string Title, string Fix, int Count);

/// <param name="Request">Method and path, e.g. "GET /lessons".</param>
/// <param name="ProblemType">The problem type of the response, when it was a problem.</param>
/// <param name="Judgements">What the request meant for the lesson: "conflict seen", "recovered", "mistake: blind-retry".</param>
/// <param name="Instance">The server instance that answered (its Conflict409-Instance header): with several instances, which one said 409.</param>
public sealed record ProgressEvent(
    DateTimeOffset At,
    string Request,
    int Status,
    string? ProblemType,
    string Lesson,
    IReadOnlyList<string> Judgements,
    string? Instance);

public static class LessonStates
{
    public const string NotStarted = "not-started";
    public const string ConflictSeen = "conflict-seen";
    public const string Recovered = "recovered";
    public const string NotGraded = "not-graded";
}
