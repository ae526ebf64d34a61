namespace Conflict409.Api.Progress;

/// <summary>
/// Puts the shared log's observations in the order their requests were answered, as the in-memory queue does, so a
/// learner who sends one request to one instance and the next to another is graded in that order, whichever instance
/// appended first. Each instance announces a watermark with its appends: every request it answered before that time is
/// in the log (<see cref="ProgressRecorder.Watermark"/>). A learner sends the next request after the previous one was
/// answered, so once every live instance's watermark has passed a time, every request answered before it is here:
/// observations are graded by answered time up to the lowest watermark (the horizon), never past it. Answered, not
/// received: a request held in the store (the first of a key, say) arrives before a retry that is answered first, and
/// the learner can only react to the answers in the order it got them.
/// <para>
/// An instance that stops holding others back: one that leaves says so, and one that has said nothing for
/// <see cref="Lease"/> while others wait for it is taken as gone (its late rows are graded when they come, after
/// newer ones). Answered times come from each instance's clock: requests of one learner less than the instances'
/// clock skew apart may still be graded in either order.
/// </para>
/// </summary>
public sealed class ProgressLogOrder(Guid self, TimeSpan lease)
{
    public TimeSpan Lease { get; } = lease;

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Member> _others = [];
    private readonly SortedSet<Pending> _pending = new(PendingOrder.Instance);
    private readonly List<(DateTimeOffset At, TaskCompletionSource Barrier)> _barriers = [];
    private DateTimeOffset _ownWatermark = DateTimeOffset.MinValue;
    private bool _othersAppended;
    private bool _asked;
    private bool _ask;

    public Guid Self => self;

    /// <summary>An announcement heard from the log's listener.</summary>
    /// <returns>True when the grader should act: rows to read, or a question to answer.</returns>
    public bool Heard(in LogAnnouncement announcement, DateTimeOffset now)
    {
        if (announcement.Node == self)
        {
            return false;
        }

        lock (_lock)
        {
            if (announcement.Kinds.HasFlag(LogAnnouncementKinds.Leaving))
            {
                _others.Remove(announcement.Node);
                return true;
            }

            var member = _others.GetValueOrDefault(announcement.Node) ?? (_others[announcement.Node] = new Member());
            if (announcement.Watermark > member.Heard)
            {
                member.Heard = announcement.Watermark;
            }

            member.LastHeard = now;
            _othersAppended |= announcement.Kinds.HasFlag(LogAnnouncementKinds.Appended);
            _asked |= announcement.Kinds.HasFlag(LogAnnouncementKinds.Asking);
            return true;
        }
    }

    /// <summary>
    /// The listener (re)connected: whatever was appended meanwhile must be read, and the others asked for their
    /// watermarks (which also tells them of this instance), since announcements sent meanwhile were lost.
    /// </summary>
    public void CatchUp()
    {
        lock (_lock)
        {
            (_othersAppended, _ask) = (true, true);
        }
    }

    /// <summary>
    /// Takes the flags the listener set: whether to read the log, and whether another instance asked for a watermark.
    /// The watermarks heard so far count from now on, not before: the caller reads the log next, and the rows an
    /// announcement vouches for were committed before it was heard, so none is passed unread.
    /// </summary>
    public (bool Read, bool Answer, bool Ask) TakeRequests()
    {
        lock (_lock)
        {
            foreach (var member in _others.Values)
            {
                member.Watermark = member.Heard;
            }

            var requests = (_othersAppended, _asked, _ask);
            (_othersAppended, _asked, _ask) = (false, false, false);
            return requests;
        }
    }

    public void Add(long position, in Observation observation)
    {
        lock (_lock)
        {
            // A row without an answered time (written by an older version) is ordered by its received time.
            _pending.Add(new Pending((observation.AnsweredAt ?? observation.At).UtcTicks, position, observation));
        }
    }

    /// <summary>A board reader's barrier: passed once the horizon has reached <paramref name="at"/>.</summary>
    public void AddBarrier(DateTimeOffset at, TaskCompletionSource barrier)
    {
        lock (_lock)
        {
            _barriers.Add((at, barrier));
        }
    }

    /// <summary>
    /// Whether this instance waits for another's watermark, for what it holds or up to <paramref name="upTo"/>: it
    /// should ask, and look again soon.
    /// </summary>
    public bool Waiting(DateTimeOffset now, DateTimeOffset? upTo = null)
    {
        lock (_lock)
        {
            var needed = Needed();
            if (upTo > needed || needed is null)
            {
                needed = upTo;
            }

            return needed is { } at && Horizon(now, at, includeOwn: false) < at;
        }
    }

    /// <summary>
    /// Whether a round would grade or pass something now (<see cref="Waiting"/> may just have given up on a silent
    /// instance): then the grader goes on at once instead of waiting.
    /// </summary>
    public bool Due(DateTimeOffset now)
    {
        lock (_lock)
        {
            if (Needed() is not { } needed)
            {
                return false;
            }

            var horizon = Horizon(now, needed);
            return (_pending.Count > 0 && _pending.Min.AnsweredTicks <= horizon.UtcTicks) || _barriers.Exists(barrier => barrier.At <= horizon);
        }
    }

    /// <summary>
    /// This instance's requests answered before <paramref name="watermark"/> are all added: grades every observation
    /// answered up to the horizon, in answered order, and passes the barriers it reached.
    /// </summary>
    public void Advance(DateTimeOffset watermark, DateTimeOffset now, Action<Observation> grade, Action<TaskCompletionSource> pass)
    {
        List<Observation>? due = null;
        List<TaskCompletionSource>? passed = null;
        lock (_lock)
        {
            if (watermark > _ownWatermark)
            {
                _ownWatermark = watermark;
            }

            if (Needed() is not { } needed)
            {
                return;
            }

            var horizon = Horizon(now, needed);
            while (_pending.Count > 0 && _pending.Min.AnsweredTicks <= horizon.UtcTicks)
            {
                var first = _pending.Min;
                _pending.Remove(first);
                (due ??= []).Add(first.Observation);
            }

            for (var i = _barriers.Count - 1; i >= 0; i--)
            {
                if (_barriers[i].At <= horizon)
                {
                    (passed ??= []).Add(_barriers[i].Barrier);
                    _barriers.RemoveAt(i);
                }
            }
        }

        // Graded outside the lock: the listener's thread must not wait for the boards.
        foreach (var observation in due ?? [])
        {
            grade(observation);
        }

        foreach (var barrier in passed ?? [])
        {
            pass(barrier);
        }
    }

    /// <summary>The database is away: readers are not kept waiting for what cannot come.</summary>
    public void PassBarriers(Action<TaskCompletionSource> pass)
    {
        List<TaskCompletionSource> passed;
        lock (_lock)
        {
            passed = [.. _barriers.Select(barrier => barrier.Barrier)];
            _barriers.Clear();
        }

        passed.ForEach(pass);
    }

    /// <summary>The latest time something here waits for: the newest pending observation or barrier.</summary>
    private DateTimeOffset? Needed()
    {
        DateTimeOffset? needed = _pending.Count > 0 ? new DateTimeOffset(_pending.Max.AnsweredTicks, TimeSpan.Zero) : null;
        foreach (var (at, _) in _barriers)
        {
            if (needed is null || at > needed)
            {
                needed = at;
            }
        }

        return needed;
    }

    /// <summary>The lowest watermark of this instance and every live other; an other silent for the lease while behind is dropped.</summary>
    private DateTimeOffset Horizon(DateTimeOffset now, DateTimeOffset needed, bool includeOwn = true)
    {
        var horizon = includeOwn ? _ownWatermark : DateTimeOffset.MaxValue;
        List<Guid>? gone = null;
        foreach (var (node, member) in _others)
        {
            if (member.Watermark >= needed)
            {
                member.BehindSince = null;
                continue;
            }

            member.BehindSince ??= now;
            var lastSign = member.LastHeard > member.BehindSince ? member.LastHeard : member.BehindSince.Value;
            if (now - lastSign > Lease)
            {
                (gone ??= []).Add(node);
                continue;
            }

            if (member.Watermark < horizon)
            {
                horizon = member.Watermark;
            }
        }

        foreach (var node in gone ?? [])
        {
            _others.Remove(node);
        }

        return horizon;
    }

    private sealed class Member
    {
        /// <summary>The latest watermark heard, not yet vouched for by a read of the log.</summary>
        public DateTimeOffset Heard { get; set; } = DateTimeOffset.MinValue;

        /// <summary>The latest watermark whose rows have been read.</summary>
        public DateTimeOffset Watermark { get; set; } = DateTimeOffset.MinValue;

        public DateTimeOffset LastHeard { get; set; }

        public DateTimeOffset? BehindSince { get; set; }
    }

    private readonly record struct Pending(long AnsweredTicks, long Position, Observation Observation);

    /// <summary>By answered time, then by log position: every instance sorts the same rows alike.</summary>
    private sealed class PendingOrder : IComparer<Pending>
    {
        public static readonly PendingOrder Instance = new();

        public int Compare(Pending x, Pending y) =>
            x.AnsweredTicks != y.AnsweredTicks ? x.AnsweredTicks.CompareTo(y.AnsweredTicks) : x.Position.CompareTo(y.Position);
    }
}
