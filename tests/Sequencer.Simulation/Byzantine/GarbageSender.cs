using Sequencer.Core.Ports;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// Garbage on every protocol and every topic, from an authenticated validator (so only decoding and verification stand
/// in the way): on a jittered timer it sends random bytes and mangled copies of real messages it has seen (bits
/// flipped, cut short, extended, retyped) as requests on each protocol to random validators, and publishes them on
/// every topic that has subscribers. It stops after a bounded number of bursts so a run always ends.
/// </summary>
public sealed class GarbageSender(int bursts = 40) : ByzantineBehaviour
{
    private static readonly SequencerProtocol[] s_protocols = [SequencerProtocol.Invitation, SequencerProtocol.Vote, SequencerProtocol.Sync];

    private readonly List<byte[]> _genuine = [];
    private ITimer? _timer;
    private int _bursts;

    public override string Name => "garbage-sender";

    public override void OnStart(ByzantineContext context) =>
        _timer = context.Time.CreateTimer(_ => Burst(context), null,
            TimeSpan.FromMilliseconds(context.Random.Next(1, 100)), TimeSpan.FromMilliseconds(context.Random.Next(50, 250)));

    public override void OnReceive(ByzantineContext context, int fromValidator, string? topic, ReadOnlyMemory<byte> payload)
    {
        if (_genuine.Count < 64 && payload.Length > 0)
            _genuine.Add(payload.ToArray());
    }

    private void Burst(ByzantineContext context)
    {
        if (++_bursts > bursts)
        {
            _timer?.Dispose();
            return;
        }
        var garbage = Next(context);
        foreach (var protocol in s_protocols)
        {
            var target = context.Random.Next(context.Directory.Count);
            if (target != context.OwnIndex)
                context.SendOwnRequest(target, protocol, garbage);
        }
        foreach (var topic in context.Endpoint.Network.Topics.ToArray())
            context.Endpoint.Publish(topic, Next(context));
    }

    private byte[] Next(ByzantineContext context)
    {
        var random = context.Random;
        if (_genuine.Count == 0 || random.Next(4) == 0)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            if (bytes.Length >= 2 && random.Next(2) == 0)
            {
                // A valid header in front of random bytes gets past the first check.
                bytes[0] = 1;
                bytes[1] = (byte)random.Next(1, 11);
            }
            return bytes;
        }
        var copy = _genuine[random.Next(_genuine.Count)].ToArray();
        switch (random.Next(4))
        {
            case 0:
                for (var i = 0; i < 1 + random.Next(3); i++)
                    copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            case 1:
                return copy[..random.Next(copy.Length)];
            case 2:
                var longer = new byte[copy.Length + 1 + random.Next(16)];
                copy.CopyTo(longer, 0);
                random.NextBytes(longer.AsSpan(copy.Length));
                return longer;
            default:
                if (copy.Length > 1)
                    copy[1] = (byte)random.Next(1, 11);
                return copy;
        }
    }
}
