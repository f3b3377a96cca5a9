using System.Text;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

/// <summary>A random RPC as plain values: encoded with the router's builder, compared with what the decoder reads back.</summary>
internal sealed record RpcModel(
    List<(bool Subscribe, string Topic)> Subscriptions,
    List<TestMessages.Fields> Messages,
    List<(string Topic, List<byte[]> Ids)> IHaves,
    List<byte[]> IWants,
    List<string> Grafts,
    List<(string Topic, ulong? Backoff, List<(byte[] PeerId, byte[] Record)> Peers)> Prunes,
    List<byte[]> IDontWants)
{
    public static RpcModel Random(int seed)
    {
        var random = new Random(seed);
        byte[] Bytes(int max) => Enumerable.Range(0, random.Next(max + 1)).Select(_ => (byte)random.Next(256)).ToArray();
        string Topic() => new(Enumerable.Range(0, random.Next(12)).Select(_ => (char)random.Next('a', 'z' + 1)).ToArray());
        byte[]? Maybe(int max) => random.Next(4) == 0 ? null : Bytes(max);
        List<T> Many<T>(int max, Func<T> item) => Enumerable.Range(0, random.Next(max + 1)).Select(_ => item()).ToList();

        return new RpcModel(
            Many(3, () => (random.Next(2) == 0, Topic())),
            Many(3, () => new TestMessages.Fields(Maybe(40), Maybe(200), Maybe(8), Maybe(20), Maybe(72), Maybe(40))),
            Many(2, () => (Topic(), Many(4, () => Bytes(50)))),
            Many(4, () => Bytes(50)),
            Many(3, Topic),
            Many(2, () => (Topic(), random.Next(2) == 0 ? (ulong?)random.NextInt64() : null,
                Many(2, () => (Bytes(40), random.Next(2) == 0 ? [] : Bytes(60))))),
            Many(3, () => Bytes(50)));
    }

    public RpcBuilder ToBuilder()
    {
        var builder = new RpcBuilder();
        foreach (var (subscribe, topic) in Subscriptions)
            builder.AddSubscription(subscribe, Encoding.UTF8.GetBytes(topic));
        foreach (var message in Messages)
            builder.AddMessage(TestMessages.Encode(message));
        foreach (var (topic, ids) in IHaves)
        {
            builder.AddIHave(Encoding.UTF8.GetBytes(topic));
            foreach (var id in ids)
                builder.AddIHaveId(id);
        }
        foreach (var id in IWants)
            builder.AddIWant(id);
        foreach (var topic in Grafts)
            builder.AddGraft(Encoding.UTF8.GetBytes(topic));
        foreach (var (topic, backoff, peers) in Prunes)
        {
            builder.AddPrune(Encoding.UTF8.GetBytes(topic), backoff);
            foreach (var (peerId, record) in peers)
                builder.AddPrunePeer(peerId, record);
        }
        foreach (var id in IDontWants)
            builder.AddIDontWant(id);
        return builder;
    }

    public byte[] ToRpc()
    {
        var builder = ToBuilder();
        var frame = new byte[builder.FrameSize];
        var written = builder.WriteFrame(frame);
        return frame.AsSpan(written - builder.RpcSize, builder.RpcSize).ToArray();
    }
}
