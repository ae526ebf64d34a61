using System.Net;

namespace Conflict409.Client;

/// <summary>What one request answered: the value on success, the problem otherwise, and the headers that matter.</summary>
public sealed record ApiResult<T>(HttpStatusCode Status, T? Value, Problem? Problem, string? ETag, TimeSpan? RetryAfter, bool Replayed)
{
    public bool IsSuccess => (int)Status is >= 200 and < 300;

    public bool IsProblem(string type) => Problem?.Type == type;
}
