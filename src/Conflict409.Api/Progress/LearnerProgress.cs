using Conflict409.Api.Idempotency;
using Conflict409.Api.Lessons;
using Conflict409.Api.Problems;
using Conflict409.Api.Users;

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
/// remembers only what its next judgement needs (the last taken name, the users awaiting a re-read, …), bounded.
/// Only the grader's thread touches it, under the boards' lock.
/// </summary>
/// <param name="owner">The address (<see cref="Clients.ClientAddress.Partition"/>) whose board this is.</param>
public sealed class LearnerProgress(Learner learner, string owner)
{
    /// <summary>The client's timer and the server's clock are different clocks: a retry a hair early still waited.</summary>
    public static readonly TimeSpan RetryAfterSlack = TimeSpan.FromMilliseconds(100);

    /// <summary>Resources remembered per lesson (users awaiting a re-read, deletes awaiting their blockers).</summary>
    private const int MaxRemembered = 16;

    private const int MaxShownTargetLength = 64;

    /// <summary>Lesson 6's conflict is a 201 the naive endpoint should not have sent, not a 409 the learner received.</summary>
    public const string NaiveDuplicateLabel = "naive endpoint: duplicate accepted (conflict seen)";

    /// <summary>Lesson 6's recovery is /register answering the same burst right, not anything the learner repaired.</summary>
    public const string AtomicAnswerLabel = "atomic endpoint: one 201, the rest 409 (recovered)";

    private readonly Dictionary<UsernameKey, StaleUpdate> _conflictedProfiles = [];
    private readonly Dictionary<UsernameKey, HashSet<UsernameKey>> _blockedDeletes = [];
    private string? _takenName;
    private (string Key, DateTimeOffset ConflictAt, DateTimeOffset RetryAt, bool NewKeyJudged)? _keyInUse;
    private string? _reusedKey;
    private DateTimeOffset? _blockedUntil;
    private readonly Dictionary<UsernameKey, RaceTally> _races = [];
    private bool? _checkoutRefreshed;

    /// <summary>Lesson 1, per user: the problem type of its last refused update, and whether it was read since.</summary>
    private readonly record struct StaleUpdate(string Type, bool Reread);

    /// <summary>Lesson 6, per raced name: the 201s of the naive endpoint, and what /register answered the same burst.</summary>
    private sealed class RaceTally
    {
        public int NaiveCreated { get; set; }

        public int AtomicCreated { get; set; }

        public int AtomicTaken { get; set; }

        public bool Recovered { get; set; }
    }

    public Learner Learner { get; } = learner;

    public string Owner { get; } = owner;

    public long Version { get; set; }

    public DateTimeOffset LastSeen { get; set; }

    /// <summary>With a shared log: a request of the log was graded on it, so its owner is the log's, not a provisional claim.</summary>
    public bool Logged { get; set; }

    public Dictionary<Lesson, LessonTally> Tallies { get; } = new(ReferenceEqualityComparer.Instance);

    public Queue<ProgressEvent> Events { get; } = new();

    public IReadOnlyList<Verdict> Grade(in Observation observation, GradedEndpoint endpoint, int maxEvents)
    {
        var operation = endpoint.Operation;
        var verdicts = new List<Verdict>(2);
        var type = observation.Problem?.Type;
        // Only a raced name makes a registration lesson 6's: without a race, the name is not worked out at all.
        var registered = operation == GradedOperation.Register && _races.Count > 0 ? RegisteredName(observation, type) : null;
        var lesson = operation switch
        {
            GradedOperation.Register when registered is { } name && _races.ContainsKey(name) => LessonCatalog.CheckThenAct,
            GradedOperation.Register when observation.IdempotencyKey is not null => LessonCatalog.RetriedRequests,
            GradedOperation.Register => LessonCatalog.DuplicateRegistration,
            GradedOperation.GetUser or GradedOperation.UpdateProfile => LessonCatalog.Versioning,
            GradedOperation.DeleteUser or GradedOperation.CreateTeam or GradedOperation.DeleteTeam => LessonCatalog.ReferencedResource,
            GradedOperation.RegisterNaively or GradedOperation.PlanRace => LessonCatalog.CheckThenAct,
            GradedOperation.ReadCart or GradedOperation.AddCartItem or GradedOperation.Checkout => LessonCatalog.StaleSession,
            _ => LessonCatalog.BlockingGet,
        };

        switch (operation)
        {
            case GradedOperation.Register when lesson == LessonCatalog.CheckThenAct:
                GradeAtomicRace(observation, registered!.Value, verdicts);
                break;
            case GradedOperation.Register:
                GradeIdempotentRetry(observation, type, verdicts);
                GradeRegistration(observation, type, verdicts);
                break;
            case GradedOperation.PlanRace when NameIn(observation.Location) is { } raced:
                Remember(_races, raced, new RaceTally());
                break;
            case GradedOperation.RegisterNaively when NameIn(observation.Location) is { } raced:
                GradeNaiveRace(raced, verdicts);
                break;
            case GradedOperation.ReadCart when observation.Status == StatusCodes.Status200OK && _checkoutRefreshed == false:
                _checkoutRefreshed = true;
                break;
            case GradedOperation.Checkout:
                GradeCheckout(observation, type, verdicts);
                break;
            case GradedOperation.GetUser when observation.Status == StatusCodes.Status200OK && KeyOf(observation.Target) is { } user:
                if (_conflictedProfiles.TryGetValue(user, out var stale))
                {
                    _conflictedProfiles[user] = stale with { Reread = true };
                }

                break;
            case GradedOperation.UpdateProfile:
                GradeProfileUpdate(observation, type, verdicts);
                break;
            case GradedOperation.DeleteUser:
                GradeUserDelete(observation, type, verdicts);
                break;
            case GradedOperation.DeleteTeam when observation.Status is StatusCodes.Status204NoContent or StatusCodes.Status404NotFound
                && KeyOf(observation.Target) is { } team:
                foreach (var blockers in _blockedDeletes.Values)
                {
                    blockers.Remove(team);
                }

                break;
            case GradedOperation.ListProducts:
                GradeCatalogRead(observation, type, verdicts);
                break;
        }

        foreach (var verdict in verdicts)
        {
            Tally(verdict);
        }

        LastSeen = observation.At;
        Events.Enqueue(new ProgressEvent(
            observation.At, Describe(observation, endpoint), observation.Status, type, lesson.Id, [.. verdicts.Select(verdict => verdict.ToString())],
            observation.Instance));
        while (Events.Count > maxEvents)
        {
            Events.Dequeue();
        }

        return verdicts;
    }

    /// <summary>Lesson 0: after username-taken, a new name (201) recovers; the same name again is a blind retry.</summary>
    private void GradeRegistration(in Observation observation, string? type, List<Verdict> verdicts)
    {
        var lesson = LessonCatalog.DuplicateRegistration;
        if (type == ProblemTypes.UsernameTaken.Uri)
        {
            var requested = observation.Problem!.Extensions.TryGetValue("username", out var username) ? username as string : null;
            verdicts.Add(new(lesson, VerdictKind.Conflict));
            if (_takenName is not null && requested == _takenName)
            {
                verdicts.Add(new(lesson, VerdictKind.Mistake, Mistakes.BlindRetry));
            }

            _takenName = requested;
        }
        else if (observation.Status == StatusCodes.Status201Created && !observation.Replayed && _takenName is not null)
        {
            verdicts.Add(new(lesson, VerdictKind.Recovered));
            _takenName = null;
        }
    }

    /// <summary>
    /// Lesson 3: after idempotency-key-in-use, the same key after Retry-After recovers (the first response is
    /// replayed); another key, or the same key too soon, is a mistake. After idempotency-key-reused (422), a new
    /// key recovers; the same key again is a mistake.
    /// </summary>
    private void GradeIdempotentRetry(in Observation observation, string? type, List<Verdict> verdicts)
    {
        var lesson = LessonCatalog.RetriedRequests;
        var key = observation.IdempotencyKey is { } raw && IdempotencyKey.TryParse(raw, out var parsed) ? parsed : null;
        var inUse = type == ProblemTypes.IdempotencyKeyInUse.Uri;

        // Only requests sent after the 409 was answered are retries. The request holding the key started before it
        // (it is why the 409 was sent), however late it completes: with holdMs, seconds after the 409; in a scripted
        // race, a hair after it, and its start may even follow the 409's own.
        if (_keyInUse is { } pending && observation.At > pending.ConflictAt)
        {
            if (key != pending.Key)
            {
                if (!pending.NewKeyJudged)
                {
                    verdicts.Add(new(lesson, VerdictKind.Mistake, Mistakes.NewKeyRetry));
                    _keyInUse = pending with { NewKeyJudged = true };
                }
            }
            else
            {
                if (observation.At + RetryAfterSlack < pending.RetryAt)
                {
                    verdicts.Add(new(lesson, VerdictKind.Mistake, Mistakes.KeyRetriedTooSoon));
                }
                else if (!inUse && observation.Status < StatusCodes.Status300MultipleChoices)
                {
                    verdicts.Add(new(lesson, VerdictKind.Recovered));
                }

                if (!inUse)
                {
                    _keyInUse = null;
                }
            }
        }

        if (inUse && key is not null)
        {
            verdicts.Add(new(lesson, VerdictKind.Conflict));
            var answered = observation.AnsweredAt ?? observation.At;
            _keyInUse = (key, answered, answered + (observation.RetryAfter ?? TimeSpan.FromSeconds(1)), false);
        }

        if (type == ProblemTypes.IdempotencyKeyReused.Uri && key is not null)
        {
            verdicts.Add(new(lesson, VerdictKind.Conflict));
            if (_reusedKey == key)
            {
                verdicts.Add(new(lesson, VerdictKind.Mistake, Mistakes.KeyReusedAgain));
            }

            _reusedKey = key;
        }
        else if (_reusedKey is not null && key is not null && key != _reusedKey && observation.Status < StatusCodes.Status300MultipleChoices)
        {
            verdicts.Add(new(lesson, VerdictKind.Recovered));
            _reusedKey = null;
        }
    }

    /// <summary>
    /// Lesson 1: after 409/412/428 on a profile, a GET then a successful update recovers. Without the GET, an update
    /// that succeeds overwrote a change the client never read, and one refused the same way again was re-sent
    /// unchanged: both are mistakes. A stale update refused another way (the lesson's 412, then 409, then 428) is
    /// the lesson being explored, a new conflict rather than a mistake.
    /// </summary>
    private void GradeProfileUpdate(in Observation observation, string? type, List<Verdict> verdicts)
    {
        if (KeyOf(observation.Target) is not { } user)
        {
            return;
        }

        var lesson = LessonCatalog.Versioning;
        var stale = type == ProblemTypes.VersionMismatch.Uri
            || type == ProblemTypes.PreconditionFailed.Uri
            || type == ProblemTypes.PreconditionRequired.Uri;
        if (_conflictedProfiles.Remove(user, out var pending))
        {
            if (observation.Status == StatusCodes.Status200OK)
            {
                verdicts.Add(pending.Reread
                    ? new(lesson, VerdictKind.Recovered)
                    : new(lesson, VerdictKind.Mistake, Mistakes.UpdateWithoutReread));
            }
            else if (stale && !pending.Reread && type == pending.Type)
            {
                verdicts.Add(new(lesson, VerdictKind.Mistake, Mistakes.UpdateWithoutReread));
            }
            else if (!stale)
            {
                // Neither a success nor a new conflict (a 400, a 404): still waiting for the update after the read.
                _conflictedProfiles[user] = pending;
            }
        }

        if (stale)
        {
            verdicts.Add(new(lesson, VerdictKind.Conflict));
            Remember(_conflictedProfiles, user, new StaleUpdate(type!, Reread: false));
        }
    }

    /// <summary>Lesson 2: after user-referenced, deleting the blockers and then the user (204) recovers; deleting the user first is a mistake.</summary>
    private void GradeUserDelete(in Observation observation, string? type, List<Verdict> verdicts)
    {
        if (KeyOf(observation.Target) is not { } user)
        {
            return;
        }

        var lesson = LessonCatalog.ReferencedResource;
        var referenced = type == ProblemTypes.UserReferenced.Uri;
        if (_blockedDeletes.Remove(user, out var blockers))
        {
            if (referenced && blockers.Count > 0)
            {
                verdicts.Add(new(lesson, VerdictKind.Mistake, Mistakes.DeleteBeforeBlockers));
            }
            else if (observation.Status == StatusCodes.Status204NoContent)
            {
                verdicts.Add(new(lesson, VerdictKind.Recovered));
            }
        }

        if (referenced)
        {
            verdicts.Add(new(lesson, VerdictKind.Conflict));
            var blockedBy = observation.Problem!.Extensions.TryGetValue("blockedBy", out var paths) && paths is IEnumerable<string> listed ? listed : [];
            Remember(_blockedDeletes, user, [.. blockedBy.Select(path => UsernameKey.From(Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..])))]);
        }
    }

    /// <summary>Lesson 4: after a blocking 409 (or 429), every request before Retry-After is a mistake; the first success after it recovers.</summary>
    private void GradeCatalogRead(in Observation observation, string? type, List<Verdict> verdicts)
    {
        var lesson = LessonCatalog.BlockingGet;
        if (_blockedUntil is { } until)
        {
            if (observation.At + RetryAfterSlack < until)
            {
                verdicts.Add(new(lesson, VerdictKind.Mistake, Mistakes.RequestedTooSoon));
            }
            else if (observation.Status == StatusCodes.Status200OK)
            {
                verdicts.Add(new(lesson, VerdictKind.Recovered));
            }

            if (observation.Status == StatusCodes.Status200OK)
            {
                _blockedUntil = null;
            }
        }

        if (type == ProblemTypes.BlockedByRateLimit.Uri || type == ProblemTypes.TooManyRequests.Uri)
        {
            verdicts.Add(new(lesson, VerdictKind.Conflict));
            _blockedUntil = observation.At + (observation.RetryAfter ?? TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Lesson 6: two 201s from the naive endpoint for one name mean the client ran the race (and the naive code lost it).</summary>
    private void GradeNaiveRace(UsernameKey name, List<Verdict> verdicts)
    {
        if (!_races.TryGetValue(name, out var race))
        {
            Remember(_races, name, race = new RaceTally());
        }

        if (++race.NaiveCreated == 2)
        {
            verdicts.Add(new(LessonCatalog.CheckThenAct, VerdictKind.Conflict, Label: NaiveDuplicateLabel));
        }

        GradeRaceOutcome(race, verdicts);
    }

    /// <summary>Lesson 6: the same burst sent to /register, which answers exactly one 201 and 409 for the rest.</summary>
    private void GradeAtomicRace(in Observation observation, UsernameKey name, List<Verdict> verdicts)
    {
        var race = _races[name];
        if (observation.Status == StatusCodes.Status201Created)
        {
            race.AtomicCreated++;
        }
        else if (observation.Status == StatusCodes.Status409Conflict)
        {
            race.AtomicTaken++;
        }

        GradeRaceOutcome(race, verdicts);
    }

    private static void GradeRaceOutcome(RaceTally race, List<Verdict> verdicts)
    {
        if (!race.Recovered && race.NaiveCreated >= 2 && race.AtomicCreated == 1 && race.AtomicTaken >= 1)
        {
            race.Recovered = true;
            verdicts.Add(new(LessonCatalog.CheckThenAct, VerdictKind.Recovered, Label: AtomicAnswerLabel));
        }
    }

    /// <summary>Lesson 7: after stale-session, GET /shop/cart then a checkout that succeeds recovers; re-submitting without the GET is a mistake.</summary>
    private void GradeCheckout(in Observation observation, string? type, List<Verdict> verdicts)
    {
        var lesson = LessonCatalog.StaleSession;
        if (_checkoutRefreshed == false && type == ProblemTypes.StaleSession.Uri)
        {
            verdicts.Add(new(lesson, VerdictKind.Mistake, Mistakes.CheckoutWithoutRefresh));
        }

        if (type == ProblemTypes.StaleSession.Uri)
        {
            verdicts.Add(new(lesson, VerdictKind.Conflict));
            _checkoutRefreshed = false;
        }
        else if (observation.Status == StatusCodes.Status200OK)
        {
            if (_checkoutRefreshed == true)
            {
                verdicts.Add(new(lesson, VerdictKind.Recovered));
            }

            _checkoutRefreshed = null;
        }
    }

    /// <summary>The name a registration was about: from the 201's Location, or the 409's problem.</summary>
    private static UsernameKey? RegisteredName(in Observation observation, string? type) =>
        type == ProblemTypes.UsernameTaken.Uri && observation.Problem!.Extensions.TryGetValue("username", out var name) && name is string taken
            ? UsernameKey.From(taken)
            : NameIn(observation.Location);

    /// <summary>The last segment of a created resource's path, e.g. /users/{name} or /lab/races/{name}.</summary>
    private static UsernameKey? NameIn(string? location) =>
        location is { Length: > 0 } path ? UsernameKey.From(Uri.UnescapeDataString(path[(path.LastIndexOf('/') + 1)..])) : null;

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

    private static void Remember<TValue>(Dictionary<UsernameKey, TValue> memory, UsernameKey key, TValue value)
    {
        if (!memory.ContainsKey(key) && memory.Count >= MaxRemembered)
        {
            memory.Remove(memory.Keys.First());
        }

        memory[key] = value;
    }

    private static UsernameKey? KeyOf(string? target) => target is null ? null : UsernameKey.From(target);

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
