using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// A voter that signs two different votes at one height: the honest engine's vote goes to its assigned buddy as usual,
/// and the opposite decision, signed with the same key (bypassing the safety rules), goes to every other validator —
/// so different buddies hold different votes of one voter until their CRDT sync puts the two side by side.
/// </summary>
public sealed class EquivocatingVoter : ByzantineBehaviour
{
    private readonly HashSet<(ulong Chain, ulong Height)> _equivocated = [];

    public override string Name => "equivocating-voter";

    public override void OnSendRequest(
        ByzantineContext context, int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id,
        TimeSpan timeout)
    {
        context.Endpoint.SendRequest(toValidator, protocol, payload, id, timeout);
        if (protocol != SequencerProtocol.Vote || !Vote.TryDecode(WireMessages.Sequence(payload), out var vote).IsOk
            || !_equivocated.Add((vote.Round.ChainId, vote.Round.Height)))
            return;
        vote.Decision = vote.Decision == Decision.Accept ? Decision.Reject : Decision.Accept;
        var digest = default(Hash32);
        vote.ComputeSigningDigest(digest);
        context.Sign(digest, vote.Signature);
        var conflicting = ByzantineContext.Encode(vote.Encode);
        for (var validator = 0; validator < context.Directory.Count; validator++)
        {
            if (validator != toValidator && validator != context.OwnIndex)
                context.SendOwnRequest(validator, SequencerProtocol.Vote, conflicting);
        }
    }
}
