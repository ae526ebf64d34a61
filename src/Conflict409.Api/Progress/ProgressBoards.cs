using System.Collections.Concurrent;
using System.Threading.Channels;
using Conflict409.Api.Clients;
using Conflict409.Api.Diagnostics;
using Conflict409.Api.Lessons;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Progress;

/// <summary>
/// Every learner's progress, bounded: at most <see cref="ProgressOptions.MaxLearners"/> (the one inactive longest
/// is forgotten first) and forgotten <see cref="ProgressOptions.LearnerLifetime"/> after its last request.
/// Written by the grader alone, read by the board's endpoints, under one lock.
/// </summary>
public sealed partial class ProgressBoards(IOptions<ProgressOptions> options, TimeProvider time, ConflictMetrics metrics)
{
    private readonly ProgressOptions _options = options.Value;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<LearnerProgress>> _learners = new(StringComparer.Ordinal);

    // Most recently active first, so the least active and the expired are at the end.
    private readonly LinkedList<LearnerProgress> _byActivity = new();
    private readonly Dictionary<string, HashSet<Channel<long>>> _watchers = new(StringComparer.Ordinal);

    // The endpoints are fixed once the server runs: each is described once, not once per graded request.
    private readonly ConcurrentDictionary<Endpoint, GradedEndpoint?> _gradedEndpoints = new();
    private long _version;

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _learners.Count;
            }
        }
    }

    public void Grade(in Observation observation)
    {
        if (observation.Endpoint is not { } endpoint
            || _gradedEndpoints.GetOrAdd(endpoint, GradedOperations.Describe) is not { } graded)
        {
            return;
        }

        var learner = observation.LearnerName is { } name
            ? new Learner(name, IsNamed: true)
            : new Learner(ClientAddress.Partition(observation.Address), IsNamed: false);
        IReadOnlyList<Verdict> verdicts;
        var added = 0;
        lock (_lock)
        {
            added -= ForgetExpiredLocked();
            if (_learners.TryGetValue(learner.Id, out var node))
            {
                _byActivity.Remove(node);
            }
            else
            {
                node = new LinkedListNode<LearnerProgress>(new LearnerProgress(learner));
                _learners[learner.Id] = node;
                added++;
                if (_learners.Count > _options.MaxLearners)
                {
                    ForgetLocked(_byActivity.Last!);
                    added--;
                }
            }

            _byActivity.AddFirst(node);
            var progress = node.Value;
            verdicts = progress.Grade(observation, graded, _options.MaxEventsPerLearner);
            progress.Version = ++_version;
            NotifyLocked(learner.Id);
        }

        if (added != 0)
        {
            metrics.LearnersChanged(added);
        }

        foreach (var verdict in verdicts)
        {
            switch (verdict.Kind)
            {
                case VerdictKind.Recovered:
                    metrics.Recovered(verdict.Lesson.Id);
                    break;
                case VerdictKind.Mistake:
                    metrics.Mistake(verdict.Lesson.Id, verdict.Mistake!.Id);
                    break;
            }
        }
    }

    public ProgressBoard Snapshot(Learner learner, bool recording)
    {
        lock (_lock)
        {
            var progress = _learners.TryGetValue(learner.Id, out var node) && !IsExpired(node.Value) ? node.Value : null;
            return new ProgressBoard(
                learner.Id,
                learner.IsNamed ? "header" : "address",
                recording,
                progress?.Version ?? 0,
                [.. LessonCatalog.All.Select(lesson => View(lesson, progress))],
                progress is null ? [] : [.. progress.Events]);
        }
    }

    /// <summary>Forgets the learner's progress; its board reads as new.</summary>
    public void Reset(Learner learner)
    {
        var forgotten = false;
        lock (_lock)
        {
            if (_learners.TryGetValue(learner.Id, out var node))
            {
                ForgetLocked(node);
                forgotten = true;
            }

            NotifyLocked(learner.Id);
        }

        if (forgotten)
        {
            metrics.LearnersChanged(-1);
        }
    }

    /// <summary>A signal that fires whenever the learner's board changes; dispose it to stop watching.</summary>
    public BoardWatch Watch(Learner learner)
    {
        // One pending signal is enough: the watcher reads the whole board, not each change.
        var signal = Channel.CreateBounded<long>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        lock (_lock)
        {
            if (!_watchers.TryGetValue(learner.Id, out var watchers))
            {
                _watchers[learner.Id] = watchers = [];
            }

            watchers.Add(signal);
        }

        return new BoardWatch(signal.Reader, () =>
        {
            lock (_lock)
            {
                if (_watchers.TryGetValue(learner.Id, out var watchers) && watchers.Remove(signal) && watchers.Count == 0)
                {
                    _watchers.Remove(learner.Id);
                }
            }
        });
    }

    private static LessonProgressView View(Lesson lesson, LearnerProgress? progress)
    {
        var tally = progress?.Tallies.GetValueOrDefault(lesson);
        var state = !GradedOperations.Lessons.Contains(lesson) ? LessonStates.NotGraded
            : tally is { Recoveries: > 0 } ? LessonStates.Recovered
            : tally is { Conflicts: > 0 } ? LessonStates.ConflictSeen
            : LessonStates.NotStarted;
        var mistakes = tally is null
            ? []
            : Mistakes.All.Where(tally.Mistakes.ContainsKey)
                .Select(mistake => new MistakeView(mistake.Id, mistake.Title, mistake.Fix, tally.Mistakes[mistake]))
                .ToArray();
        return new LessonProgressView(
            lesson.Id, lesson.Title, state, tally?.Conflicts ?? 0, tally?.Recoveries ?? 0, lesson.Recovery, mistakes);
    }

    private bool IsExpired(LearnerProgress progress) => progress.LastSeen + _options.LearnerLifetime <= time.GetUtcNow();

    private int ForgetExpiredLocked()
    {
        var forgotten = 0;
        while (_byActivity.Last is { } oldest && IsExpired(oldest.Value))
        {
            ForgetLocked(oldest);
            forgotten++;
        }

        return forgotten;
    }

    private void ForgetLocked(LinkedListNode<LearnerProgress> node)
    {
        _byActivity.Remove(node);
        _learners.Remove(node.Value.Learner.Id);
    }

    private void NotifyLocked(string learnerId)
    {
        NotifyClassLocked();
        if (_watchers.TryGetValue(learnerId, out var watchers))
        {
            foreach (var watcher in watchers)
            {
                watcher.Writer.TryWrite(_version);
            }
        }
    }
}

/// <summary>Fires when a watched board changes.</summary>
public sealed class BoardWatch(ChannelReader<long> changes, Action stop) : IDisposable
{
    /// <summary>Waits for the next change; false once <paramref name="cancellationToken"/> is cancelled.</summary>
    public async ValueTask<bool> ChangedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await changes.ReadAsync(cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose() => stop();
}
