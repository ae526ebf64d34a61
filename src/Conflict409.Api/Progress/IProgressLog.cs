namespace Conflict409.Api.Progress;

/// <summary>
/// The graded requests of every server instance, in one log they all read (with Store=PostgreSql), so each instance's
/// grader builds the same boards: an instance appends what it observed and reads what the others appended; the
/// instances grade it in the order the requests were answered (<see cref="ProgressLogOrder"/>), not in the order their
/// batches reached the log. Without it (in memory) each instance grades only what it saw, in the order it saw it.
/// </summary>
public interface IProgressLog
{
    /// <summary>
    /// Appends <paramref name="observations"/> (graded endpoints and reset markers only; may be none) and announces
    /// <paramref name="announcement"/> to every listening instance, in one transaction: an instance that hears it can
    /// read the rows.
    /// </summary>
    /// <returns>The rows' positions, consecutive from the one returned; 0 when there are none or they are not consecutive.</returns>
    ValueTask<long> AppendAsync(IReadOnlyList<Observation> observations, LogAnnouncement announcement, CancellationToken cancellationToken);

    /// <summary>
    /// Hands every observation appended after position <paramref name="after"/>, except the <paramref name="skipCount"/>
    /// from <paramref name="skipFrom"/> on (this instance's own, just appended: taken as they are rather than read back),
    /// to <paramref name="take"/> with its position, in the log's order.
    /// </summary>
    /// <returns>The last position read or skipped, or <paramref name="after"/> when there is none.</returns>
    ValueTask<long> ReadAsync(long after, long skipFrom, int skipCount, Action<long, Observation> take, CancellationToken cancellationToken);

    /// <summary>Forgets observations older than <paramref name="olderThan"/> and all but the latest <paramref name="keep"/>.</summary>
    ValueTask PruneAsync(DateTimeOffset olderThan, int keep, CancellationToken cancellationToken);

    /// <summary>
    /// Hears every instance's announcements (its own included) on a connection of its own, so waiting costs no pooled
    /// connection and no round trip; <paramref name="listening"/> runs once it listens, so that the caller reads, by
    /// position, whatever was appended before. Returns or throws only when the connection is lost or on cancellation.
    /// </summary>
    Task ListenAsync(Action<LogAnnouncement> heard, Action listening, CancellationToken cancellationToken);
}

/// <summary>What an instance says with each append (or alone): how far its requests are in the log.</summary>
/// <param name="Node">This run of the instance (instance names may repeat; a run's id does not).</param>
/// <param name="Watermark">Every request the instance answered before this time is in the log.</param>
public readonly record struct LogAnnouncement(Guid Node, DateTimeOffset Watermark, LogAnnouncementKinds Kinds);

[Flags]
public enum LogAnnouncementKinds
{
    /// <summary>Only a watermark.</summary>
    Watermark = 0,

    /// <summary>Rows were appended with it: read the log.</summary>
    Appended = 1,

    /// <summary>The instance waits for the others' watermarks to pass its requests: announce yours.</summary>
    Asking = 2,

    /// <summary>The instance stops: wait no longer for it.</summary>
    Leaving = 4,
}
