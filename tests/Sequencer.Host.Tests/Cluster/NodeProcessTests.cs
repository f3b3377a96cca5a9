using System.Collections.Concurrent;
using System.Text;
using Sequencer.Host.Cluster;

namespace Sequencer.Host.Tests.Cluster;

/// <summary>
/// Supervision of one child over the control protocol, with /bin/sh scripts standing in for a node: recorded control
/// lines on stdout, a log line on stderr, and commands read from stdin.
/// </summary>
public sealed class NodeProcessTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sequencer-nodeprocess-");
    private readonly ConcurrentQueue<ControlEvent> _events = new();
    private readonly ConcurrentQueue<string> _protocolErrors = new();

    public void Dispose() => _directory.Delete(recursive: true);

    private string LogPath => Path.Combine(_directory.FullName, "node.log");

    private NodeProcess Start(string script) =>
        NodeProcess.Start(3, "/bin/sh", ["-c", script, "node", Path.Combine(_directory.FullName, "received")], LogPath,
            (_, e) => _events.Enqueue(e), (_, message) => _protocolErrors.Enqueue(message));

    /// <summary>A well-behaved node: ready, connected, answers each command with a decision, says stopped at end of input.</summary>
    private const string AnsweringNode = """
        echo '{"event":"ready","index":3,"peerId":"12D3KooW","addrs":["/ip4/127.0.0.1/tcp/1/p2p/12D3KooW"],"metricsPort":0,"pid":1}'
        echo '{"event":"peers","connected":6}'
        echo 'this is not json'
        echo 'a log line' >&2
        while IFS= read -r line; do
          printf '%s\n' "$line" >> "$1"
          echo '{"event":"decision","height":5,"state":"timedOut"}'
        done
        echo '{"event":"stopped","reason":"stdin closed"}'
        """;

    [Fact]
    public async Task EventsCommandsLogAndAGracefulStop()
    {
        await using var node = Start(AnsweringNode);
        var ready = node.ObserveAsync<ReadyEvent>(_ => true, TimeSpan.FromSeconds(10), "ready", CancellationToken.None);
        Assert.Equal(3, (node.Ready ?? await ready).Index);

        var decision = node.ObserveAsync<DecisionEvent>(d => d.Height == 5, TimeSpan.FromSeconds(10), "a decision", CancellationToken.None);
        Assert.True(node.Send("{\"cmd\":\"decision\",\"height\":5}\n"u8));
        Assert.Equal(new DecisionEvent(5, NodeDecision.TimedOut, null), await decision);

        Assert.True(await node.StopAsync(TimeSpan.FromSeconds(10)));
        Assert.True(node.HasExited);
        Assert.Equal(0, node.ExitCode);
        Assert.Equal(6, node.Connected);
        Assert.IsType<StoppedEvent>(_events.Last());
        Assert.Contains(_protocolErrors, m => m.Contains("not a JSON object", StringComparison.Ordinal));
        Assert.Equal("{\"cmd\":\"decision\",\"height\":5}\n", File.ReadAllText(Path.Combine(_directory.FullName, "received")));
        Assert.Equal("a log line\n", File.ReadAllText(LogPath));
        Assert.False(node.Send("{\"cmd\":\"stop\"}\n"u8));
    }

    [Fact]
    public async Task ANodeThatIgnoresItsInputIsKilledAfterTheGracePeriod()
    {
        // sleep never reads its stdin, so closing it stops nothing.
        await using var node = Start("exec sleep 60");
        Assert.False(await node.StopAsync(TimeSpan.FromMilliseconds(200)));
        Assert.True(node.HasExited);
    }

    [Fact]
    public async Task WaitsOnANodeThatDiesFailAtOnceAndWaitsOnASilentOneTimeOut()
    {
        await using var silent = Start("exec sleep 60");
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            silent.ObserveAsync<ReadyEvent>(_ => true, TimeSpan.FromMilliseconds(100), "ready", CancellationToken.None));
        Assert.Equal("node 3 did not report ready within 0.1 s", timeout.Message);

        var outcome = silent.ObserveAsync<OutcomeEvent>(_ => true, TimeSpan.FromSeconds(30), "the outcome of height 1", CancellationToken.None);
        silent.Kill();
        var exited = await Assert.ThrowsAsync<NodeExitedException>(() => outcome);
        Assert.Equal("node 3 exited while the cluster waited for the outcome of height 1", exited.Message);
        await silent.Exited;
        await Assert.ThrowsAsync<NodeExitedException>(() =>
            silent.ObserveAsync<ReadyEvent>(_ => true, TimeSpan.FromSeconds(1), "ready", CancellationToken.None));
    }

    [Fact]
    public async Task LinesSplitAcrossWritesAndManyEventsArriveWholeAndInOrder()
    {
        // 2,000 signed events, the first line written in two pieces.
        var script = new StringBuilder("printf '{\"event\":\"peers\",'; sleep 0.1; printf '\"connected\":2}\\n'\n");
        script.Append("i=0; while [ $i -lt 2000 ]; do echo \"{\\\"event\\\":\\\"signed\\\",\\\"kind\\\":\\\"vote\\\",\\\"signer\\\":$((i % 7)),\\\"height\\\":$i,\\\"block\\\":\\\"ab\\\",\\\"value\\\":\\\"accept\\\",\\\"digest\\\":\\\"cd\\\"}\"; i=$((i+1)); done\n");
        await using var node = Start(script.ToString());
        await node.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        var events = _events.ToArray();
        Assert.Equal(new PeersEvent(2), events[0]);
        Assert.Equal(2000, events.OfType<SignedEvent>().Count());
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => (ulong)i), events.OfType<SignedEvent>().Select(s => s.Height));
        Assert.Empty(_protocolErrors);
    }
}
