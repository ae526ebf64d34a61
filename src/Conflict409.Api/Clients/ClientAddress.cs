using System.Net;
using System.Net.Sockets;

namespace Conflict409.Api.Clients;

/// <summary>
/// The server's one notion of "which client sent this", for everything kept or limited per client (rate limits,
/// quotas, idempotency keys, progress). A client is its network address, grouped so that one machine cannot pass for
/// many: an IPv4 address stands for itself, an IPv4-mapped IPv6 address for its IPv4 address, IPv6 loopback for
/// IPv4 loopback (127.0.0.1), and any other IPv6 address for its /64 prefix (what one host or home is given).
/// Behind one address (a school's NAT) a learner that sends a Learner name its address owns is a client of its own,
/// <c>name@address</c> (<see cref="NamedClientFeature"/>); an address holds a bounded number of names
/// (Progress:MaxLearnersPerAddress), so one flooder still gets only that many shares. Connections are counted before
/// any header is read, so the connection cap (<see cref="ConnectionsPerClient"/>) stays per address.
/// </summary>
public static class ClientAddress
{
    public const string Unknown = "unknown";

    /// <summary>The client a request counts as: its owned learner's name at its address, or its address alone.</summary>
    public static string Of(HttpContext context) =>
        context.Features.Get<NamedClientFeature>()?.Client ?? Partition(context.Connection.RemoteIpAddress);

    /// <summary>The client that <paramref name="name"/> is at <paramref name="address"/> (a <see cref="Partition"/>).</summary>
    public static string Named(string address, string name) => $"{name}@{address}";

    public static string Partition(IPAddress? address)
    {
        if (address is null)
        {
            return Unknown;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        if (IPAddress.IsLoopback(address))
        {
            return IPAddress.Loopback.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return $"{new IPAddress(bytes)}/64";
    }
}
