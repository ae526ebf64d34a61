using System.Net;
using Conflict409.Api.Clients;

namespace Conflict409.Api.Tests.Clients;

public sealed class ClientAddressTests
{
    [Theory]
    [InlineData("127.0.0.2", "127.0.0.2")]
    [InlineData("192.168.1.20", "192.168.1.20")]
    [InlineData("::ffff:192.168.1.20", "192.168.1.20")]
    [InlineData("::1", "127.0.0.1")]
    [InlineData("2001:db8:1:2:aaaa:bbbb:cccc:dddd", "2001:db8:1:2::/64")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2::/64")]
    public void An_address_is_grouped_into_the_client_it_stands_for(string address, string client) =>
        ClientAddress.Partition(IPAddress.Parse(address)).Should().Be(client);

    [Fact]
    public void A_connection_without_an_address_is_the_unknown_client() =>
        ClientAddress.Partition(null).Should().Be(ClientAddress.Unknown);
}
