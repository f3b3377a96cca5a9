using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Sequencer.Host.Tests.Node;

/// <summary>
/// A network written by <c>sequencer init --validators N</c> into a temporary directory, on loopback ports found free
/// (listen and metrics: 2N consecutive ports from a random base), and its nodes started as native processes.
/// </summary>
internal sealed class LocalNetwork : IAsyncDisposable
{
    private readonly DirectoryInfo _root;
    private readonly List<ControlledNode> _started = [];
    private readonly string[] _listenAddresses;

    private LocalNetwork(DirectoryInfo root, int count, int basePort)
    {
        _root = root;
        Count = count;
        BasePort = basePort;
        _listenAddresses = new string[count];
        for (var i = 0; i < count; i++)
            _listenAddresses[i] = $"/ip4/127.0.0.1/tcp/{basePort + i}";
    }

    public int Count { get; }

    public int BasePort { get; }

    public string Root => _root.FullName;

    public static LocalNetwork Create(int count)
    {
        var root = Directory.CreateTempSubdirectory("sequencer-start-");
        var basePort = FreePortRange(2 * count);
        var init = NativeBinary.Instance.Run("init", "--dir", Path.Combine(root.FullName, "net"), "--validators", count.ToString(), "--base-port", basePort.ToString());
        if (init.ExitCode != 0)
            throw new InvalidOperationException($"init failed: {init.StandardError}");
        return new LocalNetwork(root, count, basePort);
    }

    public string ConfigOf(int index) => Path.Combine(Root, "net", $"node-{index}", "node.toml");

    public string DataOf(int index) => Path.Combine(Root, "net", $"node-{index}", "data");

    public ControlledNode Start(int index, params string[] extra) => Start(index, [], extra);

    /// <param name="launcher">The command line that runs the binary, e.g. <c>ip netns exec NS</c> (empty: run it directly).</param>
    public ControlledNode Start(int index, IReadOnlyList<string> launcher, params string[] extra)
    {
        var node = ControlledNode.Start($"node-{index}", ConfigOf(index), launcher, extra);
        lock (_started)
            _started.Add(node);
        return node;
    }

    /// <summary>
    /// Moves node <paramref name="index"/> from loopback to <paramref name="host"/> (same port): its <c>listen</c> in its
    /// configuration file and its address in the directory every node reads. The directory's header comment keeps the
    /// hash <c>init</c> wrote (it is a comment; every node computes the hash of what it reads, and all read this file).
    /// </summary>
    public void Relocate(int index, string host)
    {
        var moved = $"/ip4/{host}/tcp/{BasePort + index}";
        // Quoted, so that port 3000 never matches inside port 30001.
        Replace(Path.Combine(Root, "net", "directory.json"), $"\"{_listenAddresses[index]}\"", $"\"{moved}\"");
        Replace(ConfigOf(index), $"\"{_listenAddresses[index]}\"", $"\"{moved}\"");
        _listenAddresses[index] = moved;
    }

    /// <summary>Starts every node and waits until each is ready and connected to all the others.</summary>
    public async Task<ControlledNode[]> StartAllAsync(params string[] extra)
    {
        var nodes = new ControlledNode[Count];
        for (var i = 0; i < Count; i++)
            nodes[i] = Start(i, extra);
        foreach (var node in nodes)
            await ConnectedAsync(node, Count - 1);
        return nodes;
    }

    public static async Task ConnectedAsync(ControlledNode node, int peers)
    {
        await node.WaitForAsync("ready");
        await node.WaitForAsync("peers", e => e.GetProperty("connected").GetInt32() == peers);
    }

    public static string Hex(byte fill) => Convert.ToHexStringLower(Enumerable.Repeat(fill, 32).ToArray());

    public static string Propose(ulong height, string parent, string block) =>
        JsonSerializer.Serialize(new Dictionary<string, object> { ["cmd"] = "propose", ["height"] = height, ["parent"] = parent, ["block"] = block });

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _started)
            await node.DisposeAsync();
        _root.Delete(recursive: true);
    }

    private static void Replace(string path, string from, string to)
    {
        var text = File.ReadAllText(path);
        if (!text.Contains(from, StringComparison.Ordinal))
            throw new InvalidOperationException($"{path} does not contain {from}");
        File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
    }

    /// <summary>A base port whose <paramref name="count"/> consecutive ports are free now (so parallel test runs do not collide).</summary>
    private static int FreePortRange(int count)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var basePort = Random.Shared.Next(20000, 60000 - count);
            var listeners = new List<TcpListener>();
            try
            {
                for (var port = basePort; port < basePort + count; port++)
                {
                    var listener = new TcpListener(IPAddress.Loopback, port);
                    listener.Start();
                    listeners.Add(listener);
                }
                return basePort;
            }
            catch (SocketException)
            {
                // Taken: try another range.
            }
            finally
            {
                foreach (var listener in listeners)
                    listener.Stop();
            }
        }
        throw new InvalidOperationException($"no {count} consecutive free loopback ports found");
    }
}
