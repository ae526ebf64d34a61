namespace Conflict409.Api.Clients;

/// <summary>
/// Set, once per request, on a request whose Learner header names a learner its address owns (Progress/ decides
/// ownership): the request then counts as that learner's own client in every per-client limit and scope
/// (<see cref="ClientAddress.Of"/>). Absent otherwise, so a request without the header pays nothing for it.
/// </summary>
public sealed class NamedClientFeature(string address, string name)
{
    /// <summary>The address the request came from, as <see cref="ClientAddress.Partition"/> groups it.</summary>
    public string Address { get; } = address;

    public string Name { get; } = name;

    public string Client { get; } = ClientAddress.Named(address, name);
}
