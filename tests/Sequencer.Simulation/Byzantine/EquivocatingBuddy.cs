using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// A buddy that attests both values: its honest attestation reaches one half of the round's subscribers and the
/// opposite value, signed with the same key, the other half. Its vote-set deltas are two-faced too: one half gets the
/// delta, the other half a random part of it (votes withheld).
/// </summary>
public sealed class EquivocatingBuddy : ByzantineBehaviour
{
    public override string Name => "equivocating-buddy";

    public override void OnPublish(ByzantineContext context, string topic, ReadOnlyMemory<byte> payload)
    {
        switch (WireMessages.TypeOf(payload))
        {
            case WireMessageType.Attestation when Attestation.TryDecode(WireMessages.Sequence(payload), out var attestation).IsOk:
                PublishBothValues(context, topic, payload, attestation);
                return;
            case WireMessageType.VoteSetDelta when VoteSetDelta.TryDecode(WireMessages.Sequence(payload), out var delta).IsOk:
                PublishTwoDeltas(context, topic, payload, delta);
                return;
            default:
                context.Endpoint.Publish(topic, payload);
                return;
        }
    }

    private static void PublishBothValues(ByzantineContext context, string topic, ReadOnlyMemory<byte> payload, Attestation attestation)
    {
        var half = WireMessages.RandomHalf(context.Random);
        attestation.Value = attestation.Value == Decision.Accept ? Decision.Reject : Decision.Accept;
        var digest = default(Hash32);
        attestation.ComputeSigningDigest(digest);
        context.Sign(digest, attestation.Signature);
        var opposite = ByzantineContext.Encode(attestation.Encode);
        context.Endpoint.PublishTo(topic, payload, e => half(e.ValidatorIndex));
        context.Endpoint.PublishTo(topic, opposite, e => !half(e.ValidatorIndex));
    }

    private static void PublishTwoDeltas(ByzantineContext context, string topic, ReadOnlyMemory<byte> payload, VoteSetDelta delta)
    {
        var half = WireMessages.RandomHalf(context.Random);
        var kept = new List<VoteSetEntry>();
        foreach (var entry in delta)
        {
            if (context.Random.Next(2) == 0)
                kept.Add(entry);
        }
        var partial = ByzantineContext.Encode(output =>
            VoteSetDelta.Encode(output, delta.Round, delta.DirectoryHash, kept.ToArray()));
        context.Endpoint.PublishTo(topic, payload, e => half(e.ValidatorIndex));
        context.Endpoint.PublishTo(topic, partial, e => !half(e.ValidatorIndex));
    }
}
