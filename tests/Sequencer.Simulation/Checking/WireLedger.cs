using System.Buffers;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;
using Sequencer.Simulation.Network;

namespace Sequencer.Simulation.Checking;

/// <summary>
/// Everything signed that anyone put on the wire during a run, decoded independently of the engine: votes (alone or
/// inside vote-set deltas), attestations, certificates and proposals, each kept once (identical copies collapse) with
/// the host that first sent it. The safety checker judges the run from this and the nodes' decision logs; because a
/// tap sees a message before the network's faults, what was dropped on the way counts too.
/// </summary>
/// <remarks>Undecodable payloads (garbage, truncations) are only counted: they are the engine's problem to refuse.</remarks>
public sealed class WireLedger : IWireTap
{
    private readonly HashSet<ObservedVote> _voteSet = [];
    private readonly HashSet<Attestation> _attestationSet = [];
    private readonly HashSet<Certificate> _certificateSet = [];
    private readonly HashSet<Proposal> _proposalSet = [];
    private readonly Dictionary<(int Host, int Incarnation), List<(long Event, ObservedVote Vote)>> _received = [];
    private readonly Dictionary<(int Host, int Incarnation), List<(long Event, Hash32 Digest)>> _signed = [];
    private readonly Dictionary<(int Host, int Incarnation, RoundId Round), long> _joined = [];

    public List<ObservedMessage<ObservedVote>> Votes { get; } = [];

    public List<ObservedMessage<Attestation>> Attestations { get; } = [];

    public List<ObservedMessage<Certificate>> Certificates { get; } = [];

    /// <summary>Proposals with their summaries detached (the decoded summary borrows the payload).</summary>
    public List<ObservedMessage<Proposal>> Proposals { get; } = [];

    public long Undecodable { get; private set; }

    /// <summary>
    /// Records that a process signed <paramref name="digest"/> during event <paramref name="atEvent"/> (its own vote
    /// never crosses the wire when it is its own buddy, so the checker learns of it from the signer).
    /// </summary>
    public void OnSigned(int host, int incarnation, long atEvent, in Hash32 digest)
    {
        if (!_signed.TryGetValue((host, incarnation), out var list))
            _signed[(host, incarnation)] = list = [];
        list.Add((atEvent, digest));
    }

    /// <summary>
    /// The event at which the host signed <paramref name="digest"/> in this incarnation or an earlier one (a restarted
    /// node re-sends its own vote from its durable record without signing again), at or before
    /// <paramref name="uptoEvent"/>; or null.
    /// </summary>
    public long? SignedAt(int host, int incarnation, long uptoEvent, in Hash32 digest)
    {
        for (var earlier = incarnation; earlier >= 0; earlier--)
        {
            if (!_signed.TryGetValue((host, earlier), out var list))
                continue;
            foreach (var (atEvent, signed) in list)
            {
                if (atEvent <= uptoEvent && signed == digest)
                    return atEvent;
            }
        }
        return null;
    }

    /// <summary>
    /// The votes for <paramref name="round"/> handed to one incarnation of a process, in order, from the moment it could
    /// know the round — it accepted an invitation to it or received its proposal; before that a node refuses a
    /// round's votes as unknown — up to <paramref name="uptoEvent"/>.
    /// </summary>
    public IEnumerable<(long Event, ObservedVote Vote)> VotesReceived(int host, int incarnation, RoundId round, long uptoEvent)
    {
        if (!_received.TryGetValue((host, incarnation), out var list) || !_joined.TryGetValue((host, incarnation, round), out var joined))
            yield break;
        foreach (var (atEvent, vote) in list)
        {
            if (atEvent >= joined && atEvent <= uptoEvent && vote.Round == round)
                yield return (atEvent, vote);
        }
    }

    private void Join(int host, int incarnation, in RoundId round, long atEvent) =>
        _joined.TryAdd((host, incarnation, round), atEvent);

    public void OnDeliver(in WireEnvelope envelope, int toHost, int toIncarnation, long atEvent)
    {
        var payload = new ReadOnlySequence<byte>(envelope.Payload);
        if (!WireHeader.TryPeek(payload, out var type).IsOk)
            return;
        if (!_received.TryGetValue((toHost, toIncarnation), out var list))
            _received[(toHost, toIncarnation)] = list = [];
        if (type == WireMessageType.Proposal && Proposal.TryDecode(payload, out var proposal).IsOk)
            Join(toHost, toIncarnation, proposal.Round, atEvent);
        else if (type == WireMessageType.Vote && Vote.TryDecode(payload, out var vote).IsOk)
            list.Add((atEvent, new ObservedVote(vote.Round, vote.DirectoryHash, vote.VoterIndex, vote.Decision, vote.Signature)));
        else if (type == WireMessageType.VoteSetDelta && VoteSetDelta.TryDecode(payload, out var delta).IsOk)
        {
            foreach (var entry in delta)
                list.Add((atEvent, new ObservedVote(delta.Round, delta.DirectoryHash, entry.VoterIndex, entry.Decision, entry.Signature)));
        }
    }

    public long Messages { get; private set; }

    public void OnSend(in WireEnvelope envelope)
    {
        Messages++;
        var payload = new ReadOnlySequence<byte>(envelope.Payload);
        if (!WireHeader.TryPeek(payload, out var type).IsOk)
        {
            Undecodable++;
            return;
        }
        var decoded = type switch
        {
            WireMessageType.Vote => RecordVote(payload, envelope),
            WireMessageType.VoteSetDelta => RecordDelta(payload, envelope),
            WireMessageType.Attestation => Record(Attestation.TryDecode(payload, out var attestation), attestation, _attestationSet, Attestations, envelope),
            WireMessageType.Certificate => Record(Certificate.TryDecode(payload, out var certificate), certificate, _certificateSet, Certificates, envelope),
            WireMessageType.Proposal => RecordProposal(payload, envelope),
            WireMessageType.InvitationReply => RecordReply(payload, envelope),
            _ => true,
        };
        if (!decoded)
            Undecodable++;
    }

    private bool RecordVote(ReadOnlySequence<byte> payload, in WireEnvelope envelope)
    {
        if (!Vote.TryDecode(payload, out var vote).IsOk)
            return false;
        AddVote(new ObservedVote(vote.Round, vote.DirectoryHash, vote.VoterIndex, vote.Decision, vote.Signature), envelope);
        return true;
    }

    private bool RecordDelta(ReadOnlySequence<byte> payload, in WireEnvelope envelope)
    {
        if (!VoteSetDelta.TryDecode(payload, out var delta).IsOk)
            return false;
        foreach (var entry in delta)
            AddVote(new ObservedVote(delta.Round, delta.DirectoryHash, entry.VoterIndex, entry.Decision, entry.Signature), envelope);
        return true;
    }

    private bool RecordReply(ReadOnlySequence<byte> payload, in WireEnvelope envelope)
    {
        if (!InvitationReply.TryDecode(payload, out var reply).IsOk)
            return false;
        if (reply.Answer == InvitationAnswer.Accept)
            Join(envelope.FromHost, envelope.FromIncarnation, reply.Round, envelope.Event);
        return true;
    }

    private bool RecordProposal(ReadOnlySequence<byte> payload, in WireEnvelope envelope)
    {
        if (!Proposal.TryDecode(payload, out var proposal).IsOk)
            return false;
        proposal.BlockSummary = new ReadOnlySequence<byte>(proposal.BlockSummary.ToArray());
        return Record(WireResult.Ok, proposal, _proposalSet, Proposals, envelope);
    }

    private void AddVote(in ObservedVote vote, in WireEnvelope envelope)
    {
        if (_voteSet.Add(vote))
            Votes.Add(new ObservedMessage<ObservedVote>(vote, envelope.FromHost, envelope.FromIncarnation, envelope.Time, envelope.Event));
    }

    private static bool Record<T>(WireResult result, in T message, HashSet<T> seen, List<ObservedMessage<T>> list, in WireEnvelope envelope)
    {
        if (!result.IsOk)
            return false;
        if (seen.Add(message))
            list.Add(new ObservedMessage<T>(message, envelope.FromHost, envelope.FromIncarnation, envelope.Time, envelope.Event));
        return true;
    }
}
