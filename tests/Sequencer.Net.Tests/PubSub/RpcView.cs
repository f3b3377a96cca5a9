using System.Buffers;
using System.Text;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>A decoded RPC as plain values, for assertions on what a router sent.</summary>
internal sealed record RpcView(
    List<(bool Subscribe, string Topic)> Subscriptions,
    List<byte[]> Messages,
    List<(string Topic, List<string> Ids)> IHaves,
    List<string> IWants,
    List<string> Grafts,
    List<(string Topic, ulong? Backoff, int Peers)> Prunes,
    List<string> IDontWants)
{
    public static RpcView FromFrame(byte[] frame)
    {
        var sequence = new ReadOnlySequence<byte>(frame);
        if (RpcFrame.TryRead(ref sequence, int.MaxValue, out var rpc, out var error) != OperationStatus.Done || !sequence.IsEmpty)
            throw new InvalidOperationException($"not exactly one frame ({error})");
        return FromRpc(rpc.ToArray());
    }

    public static RpcView FromRpc(byte[] rpc)
    {
        var decoder = new RpcDecoder();
        var error = decoder.Decode(rpc, RpcLimits.Default);
        if (error != RpcError.None)
            throw new InvalidOperationException($"undecodable RPC: {error} at {decoder.ErrorOffset}");
        string Text(ByteRange range) => Encoding.UTF8.GetString(range.Of(rpc.AsSpan()));
        string Hex(ByteRange range) => Convert.ToHexString(range.Of(rpc.AsSpan()));
        var view = new RpcView([], [], [], [], [], [], []);
        foreach (var s in decoder.Subscriptions.AsSpan())
            view.Subscriptions.Add((s.Subscribe, Text(s.Topic)));
        foreach (var m in decoder.Messages.AsSpan())
            view.Messages.Add(m.Encoded.Of(rpc.AsSpan()).ToArray());
        foreach (var ihave in decoder.IHaves.AsSpan())
        {
            var ids = new List<string>();
            foreach (var id in decoder.IHaveIds.AsSpan().Slice(ihave.FirstId, ihave.IdCount))
                ids.Add(Hex(id));
            view.IHaves.Add((Text(ihave.Topic), ids));
        }
        foreach (var id in decoder.IWantIds.AsSpan())
            view.IWants.Add(Hex(id));
        foreach (var topic in decoder.Grafts.AsSpan())
            view.Grafts.Add(Text(topic));
        foreach (var prune in decoder.Prunes.AsSpan())
            view.Prunes.Add((Text(prune.Topic), prune.HasBackoff ? prune.BackoffSeconds : null, prune.PeerCount));
        foreach (var id in decoder.IDontWantIds.AsSpan())
            view.IDontWants.Add(Hex(id));
        return view;
    }
}
