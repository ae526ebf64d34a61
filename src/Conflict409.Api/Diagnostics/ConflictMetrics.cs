using System.Diagnostics.Metrics;

namespace Conflict409.Api.Diagnostics;

/// <summary>
/// The server's own signals, beside ASP.NET Core's built-in HTTP metrics: every problem it sends, and what
/// the progress board judged of its learners' clients. Watch them live with
/// <c>dotnet-counters monitor -n Conflict409.Api --counters Conflict409,Microsoft.AspNetCore.Hosting</c>.
/// </summary>
public sealed class ConflictMetrics
{
    public const string MeterName = "Conflict409";

    private readonly Counter<long> _problems;
    private readonly Counter<long> _recoveries;
    private readonly Counter<long> _mistakes;
    private readonly Counter<long> _droppedObservations;
    private readonly UpDownCounter<long> _learners;

    public ConflictMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _problems = meter.CreateCounter<long>(
            "conflict409.problems", "{problem}", "Problem details responses sent, by problem type and status.");
        _recoveries = meter.CreateCounter<long>(
            "conflict409.progress.recoveries", "{recovery}", "Clients that recovered from a lesson's conflict the right way, by lesson.");
        _mistakes = meter.CreateCounter<long>(
            "conflict409.progress.mistakes", "{mistake}", "Mistakes clients made after a conflict, by lesson and mistake.");
        _droppedObservations = meter.CreateCounter<long>(
            "conflict409.progress.dropped", "{request}", "Requests left ungraded because the grader's queue was full.");
        _learners = meter.CreateUpDownCounter<long>(
            "conflict409.progress.learners", "{learner}", "Learners whose progress the server holds.");
    }

    /// <param name="type">A problem type URI: this server's own, or the framework's (a bounded set either way).</param>
    public void ProblemSent(string? type, int status) =>
        _problems.Add(1, new("problem.type", type ?? "about:blank"), new("http.response.status_code", status));

    public void Recovered(string lesson) => _recoveries.Add(1, new KeyValuePair<string, object?>("lesson", lesson));

    public void Mistake(string lesson, string mistake) =>
        _mistakes.Add(1, new("lesson", lesson), new("mistake", mistake));

    public void ObservationDropped() => _droppedObservations.Add(1);

    public void LearnersChanged(int delta) => _learners.Add(delta);
}
