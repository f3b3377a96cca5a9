using System.Net;
using System.Net.Sockets;

namespace Sequencer.Host.Cluster;

/// <summary>
/// Loopback TCP ports for a local network, chosen by the kernel: each is bound to port 0 and the port it got is kept,
/// with every socket held open until all are chosen so no two are the same. Two clusters started at once therefore get
/// disjoint ports (the kernel hands out an ephemeral port once), which fixed base ports cannot promise. The window
/// between closing these sockets and the nodes binding the ports is short, and the kernel cycles through the whole
/// ephemeral range before it hands a port out again.
/// </summary>
internal static class FreePorts
{
    public static int[] Allocate(int count)
    {
        var sockets = new List<Socket>(count);
        try
        {
            var ports = new int[count];
            for (var i = 0; i < count; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                sockets.Add(socket);
                socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
                ports[i] = ((IPEndPoint)socket.LocalEndPoint!).Port;
            }
            return ports;
        }
        finally
        {
            foreach (var socket in sockets)
                socket.Dispose();
        }
    }
}
