using Conflict409.Api.Users;
using Microsoft.Extensions.Options;

namespace Conflict409.Api.Races;

/// <summary>
/// One <see cref="NaiveNameList"/> per client, so a learner's race, quota and DELETE /naive/names are theirs alone:
/// one client filling its list or emptying it leaves every other client's race as it was. Bounded: at most
/// <see cref="RaceLabOptions.NaiveClients"/> lists of <see cref="RaceLabOptions.NaiveCapacity"/> names; a list unused
/// for <see cref="RaceLabOptions.NaiveIdleTimeout"/> (on the injected clock) is forgotten when a new client needs room.
/// The store of one process: a second instance has lists of its own (PostgresNaiveNameStore shares them).
/// </summary>
public sealed class NaiveNameLists(IOptions<RaceLabOptions> options, TimeProvider time) : INaiveNameStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (NaiveNameList List, long LastUsed)> _lists = [];
    private readonly RaceLabOptions _options = options.Value;

    /// <summary>How many clients have a list now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _lists.Count;
            }
        }
    }

    /// <summary>
    /// <paramref name="client"/>'s list, made on its first use; null when <see cref="RaceLabOptions.NaiveClients"/>
    /// other clients have used theirs within <see cref="RaceLabOptions.NaiveIdleTimeout"/>.
    /// </summary>
    public NaiveNameList? ListOf(string client)
    {
        lock (_lock)
        {
            var now = time.GetTimestamp();
            if (_lists.TryGetValue(client, out var entry))
            {
                _lists[client] = (entry.List, now);
                return entry.List;
            }

            if (_lists.Count >= _options.NaiveClients)
            {
                ForgetIdle();
                if (_lists.Count >= _options.NaiveClients)
                {
                    return null;
                }
            }

            var list = new NaiveNameList(_options.NaiveCapacity);
            _lists[client] = (list, now);
            return list;
        }
    }

    /// <summary><paramref name="client"/>'s list if it has one: reading or emptying a list never makes one.</summary>
    public NaiveNameList? ExistingListOf(string client)
    {
        lock (_lock)
        {
            if (!_lists.TryGetValue(client, out var entry))
            {
                return null;
            }

            _lists[client] = (entry.List, time.GetTimestamp());
            return entry.List;
        }
    }

    public ValueTask<NaiveCheck> CheckNaivelyAsync(string client, UsernameKey key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ListOf(client) is not { } list ? new NaiveCheck(NaiveCheckOutcome.NoRoomForList)
            : list.Find(key) is { } existing ? new NaiveCheck(NaiveCheckOutcome.Present, existing)
            : new NaiveCheck(NaiveCheckOutcome.Absent));

    public ValueTask<NaiveAppend> AppendNaivelyAsync(string client, UsernameKey key, string username, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ListOf(client) is not { } list ? new NaiveAppend(NaiveAppendOutcome.NoRoomForList)
            : list.TryAppend(key, username) is > 0 and var copies ? new NaiveAppend(NaiveAppendOutcome.Appended, copies)
            : new NaiveAppend(NaiveAppendOutcome.ListFull));

    public ValueTask<int> CountNaiveCopiesAsync(string client, UsernameKey key, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ExistingListOf(client)?.CopiesOf(key) ?? 0);

    public ValueTask ClearNaiveNamesAsync(string client, CancellationToken cancellationToken = default)
    {
        ExistingListOf(client)?.Clear();
        return ValueTask.CompletedTask;
    }

    public ValueTask<int> CountNaiveListsAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(Count);

    // Called under the lock, only when the table is full: at most NaiveClients entries to look at.
    private void ForgetIdle()
    {
        foreach (var (client, entry) in _lists)
        {
            if (time.GetElapsedTime(entry.LastUsed) >= _options.NaiveIdleTimeout)
            {
                _lists.Remove(client);
            }
        }
    }
}
