using Conflict409.Api.Users;

namespace Conflict409.Api.Races;

/// <summary>
/// DELIBERATELY WRONG — do not copy. The article's registration store: an ordinary list that is first searched
/// (<see cref="Find"/>), then appended to (<see cref="TryAppend"/>), as two separate steps. Each step takes the lock
/// on its own only so that two threads cannot corrupt the <see cref="List{T}"/> itself (JavaScript's single thread
/// gives the article that for free); nothing holds the check and the add together, which is the bug lesson 6 shows.
/// It is not the real user store: <c>/register</c> never reads or writes it. Each client has one of its own
/// (<see cref="NaiveNameLists"/>).
/// </summary>
public sealed class NaiveNameList(int capacity)
{
    private readonly Lock _lock = new();
    private readonly List<(UsernameKey Key, string Username)> _names = [];
    private readonly int _capacity = capacity;

    /// <summary>Step 1, the check: the spelling the name was first added with, or null when it is not there.</summary>
    public string? Find(UsernameKey key)
    {
        lock (_lock)
        {
            var index = _names.FindIndex(entry => entry.Key == key);
            return index < 0 ? null : _names[index].Username;
        }
    }

    /// <summary>Step 2, the act: appends without looking again, and says how many copies of the name the list now holds; 0 when full.</summary>
    public int TryAppend(UsernameKey key, string username)
    {
        lock (_lock)
        {
            if (_names.Count >= _capacity)
            {
                return 0;
            }

            _names.Add((key, username));
            return _names.Count(entry => entry.Key == key);
        }
    }

    /// <summary>How many times the list holds the name: more than one means the race was lost.</summary>
    public int CopiesOf(UsernameKey key)
    {
        lock (_lock)
        {
            return _names.Count(entry => entry.Key == key);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _names.Clear();
        }
    }
}
