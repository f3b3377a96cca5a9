using System.Buffers;
using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;
using Sequencer.Host.Logging;

namespace Sequencer.Host.Node;

/// <summary>
/// <c>--byzantine equivocate</c>, for test networks only: for every proposal this node hears on the announce topic it
/// signs BOTH an Accept and a Reject vote with its validator key — bypassing <see cref="Core.Safety.SafetyRules"/> on
/// purpose — and sends them to two different committee members, so that each member holds a valid vote the other
/// contradicts. Everything else (its own honest vote included) the engine behind it does as usual.
/// </summary>
/// <remarks>
/// It sits between the transport and the engine as an <see cref="INetworkEvents"/> decorator. Its requests carry
/// negative ids, which the engine never uses (its own count up from 1), and their answers stop here.
/// </remarks>
internal sealed class EquivocatingVoter(
    INetworkEvents inner, IConsensusNetwork network, ValidatorDirectory directory, ConsensusOptions options,
    Secp256k1PrivateKey key, int ownIndex, Logger logger) : INetworkEvents
{
    private long _lastRequest;

    public void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload) =>
        inner.OnRequest(request, fromValidator, protocol, payload);

    public void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload)
    {
        if (id.Value >= 0)
            inner.OnResponse(id, fromValidator, payload);
    }

    public void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason)
    {
        if (id.Value >= 0)
            inner.OnRequestFailed(id, toValidator, reason);
    }

    public void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload)
    {
        if (string.Equals(topic, options.PubSub_AnnounceChannel, StringComparison.Ordinal)
            && WireHeader.TryPeek(payload, out var type).IsOk && type == WireMessageType.Proposal)
            Equivocate(payload);
        inner.OnTopicMessage(topic, fromValidator, payload);
    }

    private void Equivocate(ReadOnlySpan<byte> payload)
    {
        if (!Proposal.TryDecode(new ReadOnlySequence<byte>(payload.ToArray()), out var proposal).IsOk
            || !EffectiveCommittee.TryVerify(directory, options.CommitteeSize, proposal.Round, proposal.DirectoryHash, proposal.Committee,
                out var committee, out _))
            return;
        var targets = new List<int>(2);
        foreach (var member in committee.Members)
        {
            if (member.Validator.Index != ownIndex && targets.Count < 2)
                targets.Add(member.Validator.Index);
        }
        if (targets.Count == 0)
            return;
        Send(proposal.Round, proposal.DirectoryHash, Decision.Accept, targets[0]);
        Send(proposal.Round, proposal.DirectoryHash, Decision.Reject, targets[^1]);
        logger.At(LogLevel.Warn, "byzantine: equivocated").Round(proposal.Round).Role(RoundRoles.Voter)
            .Field("accept_to", targets[0]).Field("reject_to", targets[^1]).Write();
    }

    private void Send(in RoundId round, in Hash32 directoryHash, Decision decision, int buddy)
    {
        var vote = new Vote { Round = round, DirectoryHash = directoryHash, VoterIndex = (uint)ownIndex, Decision = decision };
        var digest = default(Hash32);
        vote.ComputeSigningDigest(digest);
        Span<byte> signature = stackalloc byte[SchnorrSignature.Length];
        key.SignSchnorr(digest, signature);
        vote.Signature = SchnorrSignature.FromSpan(signature);
        var encoded = new ArrayBufferWriter<byte>(Vote.EncodedLength);
        vote.Encode(encoded);
        network.SendRequest(buddy, SequencerProtocol.Vote, encoded.WrittenMemory, new RequestId(--_lastRequest), options.VoteRequestTimeout);
    }
}
