using System.Threading.Channels;
using Conflict409.Api.Lessons;

namespace Conflict409.Api.Progress;

/// <summary>Every learner on the server at a glance, for the teacher: each lesson's state and mistake count.</summary>
/// <param name="Recording">False when the server was started with Progress:Enabled=false.</param>
/// <param name="Version">Grows with every change to any board.</param>
/// <param name="MaxLearners">The most learners the server keeps (Progress:MaxLearners), so the most rows listed.</param>
/// <param name="Lessons">The columns, in lesson order.</param>
/// <param name="Learners">One row per learner, in ordinal order of its name or address (addresses, starting with a digit, come first).</param>
public sealed record ClassView(
    bool Recording,
    long Version,
    int MaxLearners,
    IReadOnlyList<ClassLessonColumn> Lessons,
    IReadOnlyList<ClassRow> Learners);

public sealed record ClassLessonColumn(string Id, string Title);

/// <param name="Learner">The name from the Learner header, or the client's address.</param>
/// <param name="IdentifiedBy">"header" or "address".</param>
/// <param name="LastSeen">When the learner's last graded request arrived.</param>
/// <param name="Lessons">One cell per column of <see cref="ClassView.Lessons"/>, in the same order.</param>
public sealed record ClassRow(string Learner, string IdentifiedBy, DateTimeOffset LastSeen, IReadOnlyList<ClassLessonCell> Lessons);

/// <param name="State">As on the learner's board: "not-started", "conflict-seen", "recovered" or "not-graded".</param>
/// <param name="Mistakes">All the learner's mistakes in the lesson, of every kind.</param>
public sealed record ClassLessonCell(string Id, string State, int Mistakes);

/// <summary>The class view: every board at once, read under the same lock and by the same rules as one board.</summary>
public sealed partial class ProgressBoards
{
    private static readonly IReadOnlyList<ClassLessonColumn> Columns =
        [.. LessonCatalog.All.Select(lesson => new ClassLessonColumn(lesson.Id, lesson.Title))];

    private readonly HashSet<Channel<long>> _classWatchers = [];

    /// <summary>Every learner the server holds (at most Progress:MaxLearners), each lesson as its board shows it.</summary>
    public ClassView ClassSnapshot(bool recording)
    {
        lock (_lock)
        {
            var rows = new List<ClassRow>(_learners.Count);
            foreach (var progress in _byActivity)
            {
                if (IsExpired(progress))
                {
                    continue;
                }

                rows.Add(new ClassRow(
                    progress.Learner.Id,
                    progress.Learner.IsNamed ? "header" : "address",
                    progress.LastSeen,
                    [.. LessonCatalog.All.Select(lesson => View(lesson, progress)).Select(view =>
                        new ClassLessonCell(view.Id, view.State, view.Mistakes.Sum(mistake => mistake.Count)))]));
            }

            // Ordinal order of the name or address: stable while learners work, and quick to scan for a name.
            rows.Sort((a, b) => string.CompareOrdinal(a.Learner, b.Learner));
            return new ClassView(recording, _version, _options.MaxLearners, Columns, rows);
        }
    }

    /// <summary>A signal that fires whenever any board changes; dispose it to stop watching.</summary>
    public BoardWatch WatchClass()
    {
        // One pending signal is enough: the watcher reads the whole class, not each change.
        var signal = Channel.CreateBounded<long>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        lock (_lock)
        {
            _classWatchers.Add(signal);
        }

        return new BoardWatch(signal.Reader, () =>
        {
            lock (_lock)
            {
                _classWatchers.Remove(signal);
            }
        });
    }

    private void NotifyClassLocked()
    {
        foreach (var watcher in _classWatchers)
        {
            watcher.Writer.TryWrite(_version);
        }
    }
}
