namespace Conflict409.Shipped.Tests;

/// <summary>
/// The shipped server with one setting added on the command line, as "Behind a reverse proxy" in the server reference
/// (src/Conflict409.Api/README.md) says to run it behind one: <see cref="ProxyAddress"/> is the proxy it trusts.
/// </summary>
public sealed class ShippedServerBehindProxy() : ShippedServer([$"--ForwardedHeaders:KnownProxies:0={ProxyAddress}"])
{
    /// <summary>Below the learners' addresses, which start at 127.0.0.10.</summary>
    public const string ProxyAddress = "127.0.0.2";
}
