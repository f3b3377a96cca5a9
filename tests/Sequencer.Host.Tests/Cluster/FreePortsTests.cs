using System.Net;
using System.Net.Sockets;
using Sequencer.Host.Cluster;

namespace Sequencer.Host.Tests.Cluster;

public sealed class FreePortsTests
{
    [Fact]
    public void PortsAreDistinctBindableAndBelowTheEphemeralRange()
    {
        var ports = FreePorts.Allocate(200);
        Assert.Equal(200, ports.Distinct().Count());
        var ephemeralStart = int.Parse(File.ReadAllText("/proc/sys/net/ipv4/ip_local_port_range").Split('\t', ' ')[0]);
        Assert.All(ports, port => Assert.InRange(port, 10_000, ephemeralStart - 1));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, ports[0]));
    }

    [Fact]
    public void APortInUseIsNeverHandedOut()
    {
        // Hold many ports, then ask again: none of the held ones comes back.
        var held = FreePorts.Allocate(100).Select(port =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return socket;
        }).ToList();
        try
        {
            var heldPorts = held.Select(s => ((IPEndPoint)s.LocalEndPoint!).Port).ToHashSet();
            Assert.DoesNotContain(FreePorts.Allocate(500), heldPorts.Contains);
        }
        finally
        {
            held.ForEach(s => s.Dispose());
        }
    }
}
