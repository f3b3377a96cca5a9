using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// A voter that signs two different votes at one height, in both ways that exist. Within a round: the honest engine's
/// vote goes to its assigned buddy as usual, and the opposite decision, signed with the same key (bypassing the safety
/// rules), goes to every other validator — so different buddies hold different votes of one voter until their CRDT
/// sync puts the two side by side. Across rounds: when a second block is proposed at a height it voted at, it votes
/// the opposite way on that block too, which no CRDT can notice (the two rounds keep separate vote sets); only the
/// once-per-height rules of honest voters and buddies stand in the way.
/// </summary>
public sealed class EquivocatingVoter : ByzantineBehaviour
{
    private readonly Dictionary<(ulong Chain, ulong Height), Vote> _ownVotes = [];
    private readonly Dictionary<(ulong Chain, ulong Height), List<RoundId>> _proposed = [];
    private readonly HashSet<RoundId> _equivocated = [];

    public override string Name => "equivocating-voter";

    public override void OnSendRequest(
        ByzantineContext context, int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id,
        TimeSpan timeout)
    {
        context.Endpoint.SendRequest(toValidator, protocol, payload, id, timeout);
        if (protocol != SequencerProtocol.Vote || !Vote.TryDecode(WireMessages.Sequence(payload), out var vote).IsOk)
            return;
        var height = (vote.Round.ChainId, vote.Round.Height);
        if (!_ownVotes.TryAdd(height, vote))
            return;
        SendOpposite(context, vote, vote.Round, except: toValidator);
        foreach (var other in _proposed.GetValueOrDefault(height) ?? [])
        {
            if (other != vote.Round)
                SendOpposite(context, vote, other, except: -1);
        }
    }

    public override void OnReceive(ByzantineContext context, int fromValidator, string? topic, ReadOnlyMemory<byte> payload)
    {
        if (topic is null || WireMessages.TypeOf(payload) != WireMessageType.Proposal
            || !Proposal.TryDecode(WireMessages.Sequence(payload), out var proposal).IsOk)
            return;
        var height = (proposal.Round.ChainId, proposal.Round.Height);
        if (!_proposed.TryGetValue(height, out var rounds))
            _proposed[height] = rounds = [];
        if (rounds.Contains(proposal.Round))
            return;
        rounds.Add(proposal.Round);
        if (_ownVotes.TryGetValue(height, out var own) && own.Round != proposal.Round)
            SendOpposite(context, own, proposal.Round, except: -1);
    }

    /// <summary>Signs the opposite of <paramref name="own"/>'s decision for <paramref name="round"/> and sends it to every other validator.</summary>
    private void SendOpposite(ByzantineContext context, Vote own, in RoundId round, int except)
    {
        if (!_equivocated.Add(round))
            return;
        var vote = own;
        vote.Round = round;
        vote.Decision = own.Decision == Decision.Accept ? Decision.Reject : Decision.Accept;
        var digest = default(Hash32);
        vote.ComputeSigningDigest(digest);
        context.Sign(digest, vote.Signature);
        var conflicting = ByzantineContext.Encode(vote.Encode);
        for (var validator = 0; validator < context.Directory.Count; validator++)
        {
            if (validator != except && validator != context.OwnIndex)
                context.SendOwnRequest(validator, SequencerProtocol.Vote, conflicting);
        }
    }
}
