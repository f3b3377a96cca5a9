namespace Sequencer.Interop.Tests.Harness;

/// <summary>
/// The nodes of one test: starts them with key files in a private temporary directory, all on one topic and one
/// signing policy, and on dispose kills whatever still runs and deletes the keys.
/// </summary>
internal sealed class PeerScope(SignaturePolicy sign) : IAsyncDisposable
{
    private readonly DirectoryInfo _keys = Directory.CreateTempSubdirectory("sequencer-interop-");
    private readonly List<InteropPeer> _peers = [];

    public string Topic { get; } = "interop";

    public SignaturePolicy Sign { get; } = sign;

    public IReadOnlyList<InteropPeer> Peers => _peers;

    /// <summary>interop/js/node.mjs; <paramref name="muxerInNoise"/> false keeps the muxer out of its Noise payload.</summary>
    public InteropPeer StartJs(TestKey key, PeerOptions options, bool muxerInNoise = true, int? pingEverySeconds = null)
    {
        var (node, script) = JsNode.Command;
        string[] arguments = [script, .. options.Arguments(key.WriteTo(_keys), Topic, Sign), .. JsNode.Arguments(muxerInNoise, pingEverySeconds)];
        return Track(PeerProcess.Start($"js {options.Role} ({key.Name})", node, arguments), key);
    }

    /// <summary>The published binary's <c>sequencer p2p</c>.</summary>
    public InteropPeer StartSequencer(TestKey key, PeerOptions options)
    {
        string[] arguments = ["p2p", .. options.Arguments(key.WriteTo(_keys), Topic, Sign)];
        return Track(PeerProcess.Start($"C# {options.Role} ({key.Name})", NativeBinary.Instance.Path, arguments), key);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var peer in _peers)
            await peer.Process.DisposeAsync();
        _keys.Delete(recursive: true);
    }

    private InteropPeer Track(PeerProcess process, TestKey key)
    {
        var peer = new InteropPeer(process, key);
        _peers.Add(peer);
        return peer;
    }
}
