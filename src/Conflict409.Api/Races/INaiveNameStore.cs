using Conflict409.Api.Users;

namespace Conflict409.Api.Races;

/// <summary>
/// DELIBERATELY WRONG where it matters — do not copy. Lesson 6's naive name lists, one per client: in memory
/// (<see cref="NaiveNameLists"/>, one process) or in PostgreSQL (several instances share every client's list, so the
/// race between two instances is real). The check (<see cref="CheckNaivelyAsync"/>) and the add
/// (<see cref="AppendNaivelyAsync"/>) are two calls on purpose, and the add never looks again: that gap is the lesson.
/// </summary>
public interface INaiveNameStore
{
    /// <summary>Step 1, the check: whether <paramref name="client"/>'s list holds the name (its list made on first use).</summary>
    ValueTask<NaiveCheck> CheckNaivelyAsync(string client, UsernameKey key, CancellationToken cancellationToken = default);

    /// <summary>Step 2, the act: appends without looking again, and says how many copies of the name the list now holds.</summary>
    ValueTask<NaiveAppend> AppendNaivelyAsync(string client, UsernameKey key, string username, CancellationToken cancellationToken = default);

    /// <summary>How many times <paramref name="client"/>'s list holds the name: more than one means the race was lost.</summary>
    ValueTask<int> CountNaiveCopiesAsync(string client, UsernameKey key, CancellationToken cancellationToken = default);

    /// <summary>Empties <paramref name="client"/>'s list, and no other.</summary>
    ValueTask ClearNaiveNamesAsync(string client, CancellationToken cancellationToken = default);

    /// <summary>How many clients have a list now.</summary>
    ValueTask<int> CountNaiveListsAsync(CancellationToken cancellationToken = default);
}

public enum NaiveCheckOutcome
{
    /// <summary>The list does not hold the name: the naive code goes on to add it.</summary>
    Absent,

    /// <summary>The list holds the name, first added with <see cref="NaiveCheck.Existing"/>'s spelling.</summary>
    Present,

    /// <summary>The client has no list and there is no room for one (RaceLab:NaiveClients).</summary>
    NoRoomForList,
}

public readonly record struct NaiveCheck(NaiveCheckOutcome Outcome, string? Existing = null);

public enum NaiveAppendOutcome
{
    Appended,

    /// <summary>The client's list holds RaceLab:NaiveCapacity names.</summary>
    ListFull,

    /// <summary>The client's list was forgotten while it thought, and there is no room for a new one.</summary>
    NoRoomForList,
}

/// <param name="Copies">How many times the list holds the name after this add; 0 unless appended.</param>
public readonly record struct NaiveAppend(NaiveAppendOutcome Outcome, int Copies = 0);
