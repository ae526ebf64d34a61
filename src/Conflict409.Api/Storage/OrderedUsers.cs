using Conflict409.Api.Users;

namespace Conflict409.Api.Storage;

/// <summary>
/// The keys of the users in order (ordinal, as the /users cursor and PostgreSQL's "C" collation sort), kept as a list of
/// sorted chunks: finding a place is two binary searches, inserting moves at most one chunk's references, and a
/// page is read from where the cursor falls without looking at the rest. At 8 bytes a user in full chunks
/// (about 11 when filled at random) it costs a fraction of what a tree node per user would.
/// Not thread-safe: <see cref="InMemoryStore"/> calls it under its lock.
/// </summary>
internal sealed class OrderedUsers
{
    private const int ChunkCapacity = 512;

    private readonly List<List<UsernameKey>> _chunks = [];

    public void Add(UsernameKey user)
    {
        if (_chunks.Count == 0)
        {
            _chunks.Add(NewChunk(user));
            return;
        }

        var chunkIndex = ChunkFor(user.Value);
        var chunk = _chunks[chunkIndex];
        var position = ~PositionIn(chunk, user.Value);
        if (chunk.Count < ChunkCapacity)
        {
            chunk.Insert(position, user);
        }
        else if (position == chunk.Count && chunkIndex == _chunks.Count - 1)
        {
            // Keys that arrive in order (user_0001, user_0002, ...) fill chunks to the brim instead of halving them.
            _chunks.Add(NewChunk(user));
        }
        else
        {
            var upper = NewChunk();
            upper.AddRange(chunk.Skip(ChunkCapacity / 2));
            chunk.RemoveRange(ChunkCapacity / 2, ChunkCapacity / 2);
            _chunks.Insert(chunkIndex + 1, upper);
            (position <= chunk.Count ? chunk : upper).Insert(position <= chunk.Count ? position : position - chunk.Count, user);
        }
    }

    public void Remove(UsernameKey key)
    {
        var chunkIndex = ChunkFor(key.Value);
        var chunk = _chunks[chunkIndex];
        chunk.RemoveAt(PositionIn(chunk, key.Value));
        if (chunk.Count == 0)
        {
            _chunks.RemoveAt(chunkIndex);
        }
    }

    /// <summary>Up to <paramref name="limit"/> keys after <paramref name="after"/> (or from the first), in order.</summary>
    public List<UsernameKey> Page(string? after, int limit)
    {
        var page = new List<UsernameKey>(Math.Min(limit, ChunkCapacity));
        if (_chunks.Count == 0)
        {
            return page;
        }

        var chunkIndex = after is null ? 0 : ChunkFor(after);
        var position = 0;
        if (after is not null)
        {
            position = PositionIn(_chunks[chunkIndex], after);
            position = position >= 0 ? position + 1 : ~position;
        }

        for (; chunkIndex < _chunks.Count && page.Count < limit; chunkIndex++, position = 0)
        {
            var chunk = _chunks[chunkIndex];
            for (; position < chunk.Count && page.Count < limit; position++)
            {
                page.Add(chunk[position]);
            }
        }

        return page;
    }

    private static List<UsernameKey> NewChunk(UsernameKey? first = null)
    {
        var chunk = new List<UsernameKey>(ChunkCapacity);
        if (first is { } key)
        {
            chunk.Add(key);
        }

        return chunk;
    }

    /// <summary>The last chunk whose first key is not after <paramref name="key"/>, or the first chunk.</summary>
    private int ChunkFor(string key)
    {
        var low = 0;
        var high = _chunks.Count - 1;
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (string.CompareOrdinal(_chunks[middle][0].Value, key) <= 0)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private static int PositionIn(List<UsernameKey> chunk, string key)
    {
        var low = 0;
        var high = chunk.Count - 1;
        while (low <= high)
        {
            var middle = (low + high) / 2;
            var order = string.CompareOrdinal(chunk[middle].Value, key);
            if (order == 0)
            {
                return middle;
            }

            if (order < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return ~low;
    }
}
