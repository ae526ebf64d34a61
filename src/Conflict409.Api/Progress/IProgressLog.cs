namespace Conflict409.Api.Progress;

/// <summary>
/// The graded requests of every server instance, in one order they all read (with Store=PostgreSql), so each
/// instance's grader builds the same boards: an instance appends what it observed and replays everything appended,
/// its own included. Without it (in memory) each instance grades only what it saw.
/// </summary>
public interface IProgressLog
{
    /// <summary>Appends <paramref name="observations"/> (graded endpoints only) after everything appended before.</summary>
    /// <returns>Their positions, consecutive from the one returned; 0 when they are not consecutive.</returns>
    ValueTask<long> AppendObservationsAsync(IReadOnlyList<Observation> observations, CancellationToken cancellationToken);

    /// <summary>
    /// Hands every observation appended after position <paramref name="after"/> to <paramref name="grade"/>, in the
    /// log's order, and returns the position of the last one (or <paramref name="after"/> when there is none).
    /// <paramref name="appended"/>, just appended from <paramref name="appendedFrom"/> on (0: none), are taken as
    /// they are rather than read back: this instance pays for its own requests once.
    /// </summary>
    ValueTask<long> ReplayObservationsAsync(
        long after, long appendedFrom, IReadOnlyList<Observation> appended, Action<Observation> grade, CancellationToken cancellationToken);

    /// <summary>Forgets observations older than <paramref name="olderThan"/> and all but the latest <paramref name="keep"/>.</summary>
    ValueTask PruneObservationsAsync(DateTimeOffset olderThan, int keep, CancellationToken cancellationToken);
}
