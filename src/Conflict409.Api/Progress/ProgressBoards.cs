using System.Collections.Concurrent;
using System.Threading.Channels;
using Conflict409.Api.Clients;
using Conflict409.Api.Diagnostics;
using Conflict409.Api.Lessons;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Progress;

/// <summary>What asking for a learner name gave (<see cref="ProgressBoards.Claim"/>).</summary>
public enum LearnerNameClaim
{
    /// <summary>The name's board is the address's: new, or already its own.</summary>
    Owned,

    /// <summary>Another address holds the name while its board lives (a duplicate name, for learners).</summary>
    TakenByAnotherAddress,

    /// <summary>The address already holds <see cref="ProgressOptions.MaxLearnersPerAddress"/> names.</summary>
    AddressHoldsTooMany,
}

/// <summary>
/// Every learner's progress, bounded: at most <see cref="ProgressOptions.MaxLearners"/> (the one inactive longest
/// is forgotten first) and forgotten <see cref="ProgressOptions.LearnerLifetime"/> after its last request. A named
/// board belongs to the address that claimed the name (<see cref="Claim"/>) for as long as it lives, and an address
/// holds at most <see cref="ProgressOptions.MaxLearnersPerAddress"/> names: the board and its owner are one entry,
/// so a name is free again exactly when its board is forgotten. Claimed on the request path, graded by the grader,
/// read by the board's endpoints, under one lock.
/// <para>
/// With a shared <see cref="IProgressLog"/> (several instances), a claim on the request path is provisional: the name
/// belongs to the address of its first request in the shared order (<see cref="ProgressLogOrder"/>), which every
/// instance grades alike. A provisional board (no request of the log graded on it yet) that another address turns
/// out to have claimed first, on another instance, is handed to that address; after that, the first address's
/// requests count as its own address's.
/// </para>
/// </summary>
public sealed partial class ProgressBoards(
    IOptions<ProgressOptions> options, TimeProvider time, ConflictMetrics metrics, IEnumerable<IProgressLog> sharedLog)
{
    private readonly ProgressOptions _options = options.Value;
    private readonly bool _ownersFromLog = sharedLog.Any();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, LinkedListNode<LearnerProgress>> _learners = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _namesPerAddress = new(StringComparer.Ordinal);

    // Most recently active first, so the least active and the expired are at the end.
    private readonly LinkedList<LearnerProgress> _byActivity = new();
    private readonly Dictionary<string, HashSet<Channel<long>>> _watchers = new(StringComparer.Ordinal);

    // The endpoints are fixed once the server runs: each is described once, not once per graded request.
    private readonly ConcurrentDictionary<Endpoint, GradedEndpoint?> _gradedEndpoints = new();

    // Each graded request's verdicts, under the lock: most requests have none, and none needs a list of its own.
    private readonly List<Verdict> _verdicts = [];

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

    /// <summary>
    /// Asks for <paramref name="name"/> on behalf of <paramref name="address"/> (a <see cref="ClientAddress.Partition"/>):
    /// a free name becomes the address's, with a new board, unless the address holds its share of names already.
    /// </summary>
    public LearnerNameClaim Claim(string name, string address)
    {
        LearnerNameClaim claim;
        var added = 0;
        lock (_lock)
        {
            added -= ForgetExpiredLocked();
            if (_learners.TryGetValue(name, out var node))
            {
                claim = node.Value.Owner == address ? LearnerNameClaim.Owned : LearnerNameClaim.TakenByAnotherAddress;
            }
            else if (_namesPerAddress.GetValueOrDefault(address) >= _options.MaxLearnersPerAddress)
            {
                claim = LearnerNameClaim.AddressHoldsTooMany;
            }
            else
            {
                added += AddLocked(new Learner(name, IsNamed: true), address, time.GetUtcNow());

                claim = LearnerNameClaim.Owned;
            }
        }

        if (added != 0)
        {
            metrics.LearnersChanged(added);
        }

        return claim;
    }

    public void Grade(in Observation observation)
    {
        if (observation.Endpoint is not { } endpoint
            || _gradedEndpoints.GetOrAdd(endpoint, GradedOperations.Describe) is not { } graded)
        {
            return;
        }

        var address = ClientAddress.Partition(observation.Address);
        var learner = observation.LearnerName is { } name
            ? new Learner(name, IsNamed: true)
            : new Learner(address, IsNamed: false);
        var added = 0;
        lock (_lock)
        {
            added -= ForgetExpiredLocked();
            if (!_learners.TryGetValue(learner.Id, out var node))
            {
                // Claimed when the request arrived, forgotten since (evicted or expired): the request's claim stands.
                added += AddLocked(learner, address, observation.At);
                node = _learners[learner.Id];
            }

            if (_ownersFromLog && !node.Value.Logged && node.Value.Owner != address)
            {
                // Claimed here first, but this request of another address is earlier in the shared order: the order decides.
                ChangeOwnerLocked(node, address);
            }

            // The name was forgotten and claimed by another address since this request claimed it: not its board.
            if (node.Value.Owner == address)
            {
                _byActivity.Remove(node);
                _byActivity.AddFirst(node);
                var progress = node.Value;
                progress.Grade(observation, graded, _options.MaxEventsPerLearner, _verdicts);
                progress.Logged = _ownersFromLog;
                progress.Version = ++_version;
                NotifyLocked(learner.Id);
                foreach (var verdict in _verdicts)
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
        }

        if (added != 0)
        {
            metrics.LearnersChanged(added);
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

    /// <summary>
    /// Starts <paramref name="learner"/>'s board again if <paramref name="address"/> owns it (a board never claimed, or
    /// forgotten, is new already). The name stays the address's: resetting frees no share of names or limits.
    /// </summary>
    /// <returns>False when another address owns the board: nothing was changed.</returns>
    public bool Reset(Learner learner, string address)
    {
        bool owned;
        int forgotten;
        lock (_lock)
        {
            forgotten = ForgetExpiredLocked();
            if (_learners.TryGetValue(learner.Id, out var node))
            {
                owned = node.Value.Owner == address;
                if (owned)
                {
                    node.Value = new LearnerProgress(learner, address) { LastSeen = node.Value.LastSeen, Logged = node.Value.Logged };
                }
            }
            else
            {
                // An address's board is that address's alone, whether it has one yet or not.
                owned = learner.IsNamed || learner.Id == address;
            }

            if (owned)
            {
                NotifyLocked(learner.Id);
            }
        }

        if (forgotten != 0)
        {
            metrics.LearnersChanged(-forgotten);
        }

        return owned;
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
        var judge = GradedOperations.JudgeOf(lesson);
        var state = judge is null ? LessonStates.NotGraded
            : tally is { Recoveries: > 0 } ? LessonStates.Recovered
            : tally is { Conflicts: > 0 } ? LessonStates.ConflictSeen
            : LessonStates.NotStarted;
        var mistakes = tally is null || judge is null
            ? []
            : judge.Mistakes.Where(tally.Mistakes.ContainsKey)
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

    /// <summary>Adds a board that <paramref name="owner"/> holds, forgetting the longest inactive past the bound.</summary>
    /// <returns>How many more boards there are: 1, or 0 when one was forgotten to make room.</returns>
    private int AddLocked(Learner learner, string owner, DateTimeOffset now)
    {
        var node = _byActivity.AddFirst(new LearnerProgress(learner, owner) { LastSeen = now });
        _learners[learner.Id] = node;
        if (learner.IsNamed)
        {
            _namesPerAddress[owner] = _namesPerAddress.GetValueOrDefault(owner) + 1;
        }

        if (_learners.Count > _options.MaxLearners)
        {
            ForgetLocked(_byActivity.Last!);
            return 0;
        }

        return 1;
    }

    private void ChangeOwnerLocked(LinkedListNode<LearnerProgress> node, string owner)
    {
        var previous = node.Value;
        ReleaseNameLocked(previous);
        node.Value = new LearnerProgress(previous.Learner, owner) { LastSeen = previous.LastSeen };
        if (previous.Learner.IsNamed)
        {
            _namesPerAddress[owner] = _namesPerAddress.GetValueOrDefault(owner) + 1;
        }
    }

    private void ForgetLocked(LinkedListNode<LearnerProgress> node)
    {
        _byActivity.Remove(node);
        var progress = node.Value;
        _learners.Remove(progress.Learner.Id);
        ReleaseNameLocked(progress);
    }

    private void ReleaseNameLocked(LearnerProgress progress)
    {
        if (progress.Learner.IsNamed)
        {
            var held = _namesPerAddress[progress.Owner] - 1;
            if (held == 0)
            {
                _namesPerAddress.Remove(progress.Owner);
            }
            else
            {
                _namesPerAddress[progress.Owner] = held;
            }
        }
    }

    private void NotifyLocked(string learnerId)
    {
        NotifyClassLocked();
        // Most boards have no watcher: no lookup then.
        if (_watchers.Count != 0 && _watchers.TryGetValue(learnerId, out var watchers))
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
