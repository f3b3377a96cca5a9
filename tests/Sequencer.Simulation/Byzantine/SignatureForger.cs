using Sequencer.Core.Committee;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// Forged signatures everywhere, each sent ahead of the genuine message so that an engine which lets an unverified
/// copy occupy a slot would lose the real one: every signed message it sends is preceded by a copy with one signature
/// bit flipped; every vote it sends is followed by votes in other validators' names signed with its own key; and for
/// every round it hears of it announces certificates of both values for the round's real committee — correct proof,
/// every member in the signer bitmap — whose signatures are random: only signature verification refuses them.
/// </summary>
public sealed class SignatureForger : ByzantineBehaviour
{
    private readonly HashSet<RoundId> _forgedCertificates = [];

    public override string Name => "signature-forger";

    public override void OnSendRequest(
        ByzantineContext context, int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload, RequestId id,
        TimeSpan timeout)
    {
        if (FlipSignatureBit(context, payload) is { } forged)
            context.SendOwnRequest(toValidator, protocol, forged);
        context.Endpoint.SendRequest(toValidator, protocol, payload, id, timeout);
        if (protocol == SequencerProtocol.Vote && Vote.TryDecode(WireMessages.Sequence(payload), out var vote).IsOk)
            SendVotesInOtherNames(context, toValidator, vote);
    }

    public override void OnSendResponse(ByzantineContext context, InboundRequestId request, ReadOnlyMemory<byte> payload) =>
        context.Endpoint.SendResponse(request, FlipSignatureBit(context, payload) ?? payload);

    public override void OnPublish(ByzantineContext context, string topic, ReadOnlyMemory<byte> payload)
    {
        if (FlipSignatureBit(context, payload) is { } forged)
            context.Endpoint.Publish(topic, forged);
        context.Endpoint.Publish(topic, payload);
    }

    public override void OnReceive(ByzantineContext context, int fromValidator, string? topic, ReadOnlyMemory<byte> payload)
    {
        if (topic is null || WireMessages.TypeOf(payload) != WireMessageType.Proposal
            || !Proposal.TryDecode(WireMessages.Sequence(payload), out var proposal).IsOk
            || !_forgedCertificates.Add(proposal.Round))
            return;
        foreach (var value in new[] { Decision.Accept, Decision.Reject })
        {
            var certificate = new Certificate
            {
                Round = proposal.Round,
                DirectoryHash = proposal.DirectoryHash,
                Value = value,
                Committee = proposal.Committee,
            };
            var signature = default(SchnorrSignature);
            var members = EffectiveCommittee.TryVerify(context.Directory, context.CommitteeSize, proposal.Round,
                proposal.DirectoryHash, proposal.Committee, out var committee, out _)
                ? committee.MemberPositions
                : (1u << WireLimits.MaxMainPeers) - 1;
            for (var position = 0; position < WireLimits.MaxCommitteeCandidates; position++)
            {
                if ((members & (1u << position)) == 0)
                    continue;
                context.Random.NextBytes(signature);
                certificate.AddSigner(position, signature);
            }
            context.Endpoint.Publish(topic, ByzantineContext.Encode(certificate.Encode));
        }
    }

    private static void SendVotesInOtherNames(ByzantineContext context, int toValidator, Vote vote)
    {
        for (var i = 0; i < 2; i++)
        {
            var victim = context.Random.Next(context.Directory.Count);
            if (victim == context.OwnIndex)
                continue;
            vote.VoterIndex = (uint)victim;
            var digest = default(Hash32);
            vote.ComputeSigningDigest(digest);
            context.Sign(digest, vote.Signature);
            context.SendOwnRequest(toValidator, SequencerProtocol.Vote, ByzantineContext.Encode(vote.Encode));
        }
    }

    /// <summary>A copy of a signed message with one bit of its signature flipped, or null for unsigned messages.</summary>
    private static byte[]? FlipSignatureBit(ByzantineContext context, ReadOnlyMemory<byte> payload)
    {
        var signatureEnd = WireMessages.TypeOf(payload) switch
        {
            // These end with their signature.
            WireMessageType.Invitation or WireMessageType.InvitationReply or WireMessageType.Proposal or WireMessageType.Vote
                or WireMessageType.Attestation => payload.Length,
            _ => 0,
        };
        if (signatureEnd < SchnorrSignature.Length)
            return null;
        var forged = payload.ToArray();
        var bit = context.Random.Next(SchnorrSignature.Length * 8);
        forged[signatureEnd - SchnorrSignature.Length + bit / 8] ^= (byte)(1 << (bit % 8));
        return forged;
    }
}
