using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Sequencer.Host.Cluster;

/// <summary>
/// Loopback TCP ports for a local network: free now, and outside the kernel's ephemeral range. A port from the
/// ephemeral range (what binding to port 0 gives) can be taken between its choice and the node's bind by any outbound
/// connection — and a starting cluster makes hundreds of them — so ports are chosen below that range instead: from a
/// random starting point, each candidate is bound to prove it free, and every socket is held until all are chosen so no
/// two are the same. Two clusters started at once start at different points and probe, so they do not collide.
/// </summary>
internal static class FreePorts
{
    private const int Lowest = 10_000;
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";

    /// <exception cref="InvalidOperationException">Not enough free ports below the ephemeral range.</exception>
    public static int[] Allocate(int count)
    {
        var end = EphemeralStart();
        var span = end - Lowest;
        if (span < count)
            throw new InvalidOperationException($"only ports {Lowest} … {end - 1} lie below the ephemeral range; {count} are needed");
        var sockets = new List<Socket>(count);
        try
        {
            var ports = new int[count];
            var found = 0;
            var offset = Random.Shared.Next(span);
            for (var tried = 0; tried < span && found < count; tried++)
            {
                var port = Lowest + (offset + tried) % span;
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                }
                catch (SocketException)
                {
                    socket.Dispose();
                    continue;
                }
                sockets.Add(socket);
                ports[found++] = port;
            }
            if (found < count)
                throw new InvalidOperationException($"only {found} free loopback ports in {Lowest} … {end - 1}; {count} are needed");
            return ports;
        }
        finally
        {
            foreach (var socket in sockets)
                socket.Dispose();
        }
    }

    /// <summary>The first port of the kernel's ephemeral range (Linux: ip_local_port_range; otherwise the IANA 49152).</summary>
    private static int EphemeralStart()
    {
        try
        {
            var fields = File.ReadAllText(EphemeralRangeFile).Split((char[])[' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 1 && int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var start) && start > Lowest)
                return start;
        }
        catch (IOException)
        {
            // Not Linux, or no procfs: the IANA default below.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return 49_152;
    }
}
