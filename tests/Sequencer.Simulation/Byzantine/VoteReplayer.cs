using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// Replays signed votes where they do not belong. It keeps every genuine vote it sees (its own, and those other voters
/// send it as a buddy or gossip in deltas); whenever a new round is announced it sends the round's committee — in
/// fact every validator, it does not bother to work out the committee — old votes from other heights, and its own
/// vote for the new round re-signed for another chain and for another directory epoch: every signature valid, none
/// of them for this round.
/// </summary>
public sealed class VoteReplayer : ByzantineBehaviour
{
    private const int MaxReplaysPerRound = 8;

    private readonly List<Vote> _seen = [];
    private readonly HashSet<RoundId> _replayedInto = [];

    public override string Name => "vote-replayer";

    public override void OnSendRequest(
        ByzantineContext context, int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id,
        TimeSpan timeout)
    {
        Remember(payload);
        context.Endpoint.SendRequest(toValidator, protocol, payload, id, timeout);
    }

    public override void OnReceive(ByzantineContext context, int fromValidator, string? topic, ReadOnlyMemory<byte> payload)
    {
        Remember(payload);
        if (topic is null || WireMessages.TypeOf(payload) != WireMessageType.Proposal
            || !Proposal.TryDecode(WireMessages.Sequence(payload), out var proposal).IsOk
            || !_replayedInto.Add(proposal.Round))
            return;
        var round = proposal.Round;
        var replays = new List<byte[]>();
        foreach (var old in _seen)
        {
            if (replays.Count == MaxReplaysPerRound / 2)
                break;
            if (old.Round != round)
                replays.Add(ByzantineContext.Encode(old.Encode));
        }
        replays.Add(SignOwn(context, new RoundId(round.ChainId + 1, round.Height, round.BlockHash), proposal.DirectoryHash));
        var otherEpoch = proposal.DirectoryHash;
        otherEpoch[0] ^= 0xFF;
        replays.Add(SignOwn(context, round, otherEpoch));
        foreach (var replay in replays)
        {
            for (var validator = 0; validator < context.Directory.Count; validator++)
            {
                if (validator != context.OwnIndex)
                    context.SendOwnRequest(validator, SequencerProtocol.Vote, replay);
            }
        }
    }

    private static byte[] SignOwn(ByzantineContext context, in RoundId round, in Hash32 directoryHash)
    {
        var vote = new Vote { Round = round, DirectoryHash = directoryHash, VoterIndex = (uint)context.OwnIndex, Decision = Decision.Accept };
        var digest = default(Hash32);
        vote.ComputeSigningDigest(digest);
        context.Sign(digest, vote.Signature);
        return ByzantineContext.Encode(vote.Encode);
    }

    private void Remember(ReadOnlyMemory<byte> payload)
    {
        switch (WireMessages.TypeOf(payload))
        {
            case WireMessageType.Vote when Vote.TryDecode(WireMessages.Sequence(payload), out var vote).IsOk:
                _seen.Add(vote);
                break;
            case WireMessageType.VoteSetDelta when VoteSetDelta.TryDecode(WireMessages.Sequence(payload), out var delta).IsOk:
                foreach (var entry in delta)
                    _seen.Add(entry.ToVote(delta.Round, delta.DirectoryHash));
                break;
        }
    }
}
