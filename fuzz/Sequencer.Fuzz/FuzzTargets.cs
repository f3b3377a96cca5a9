using Sequencer.Fuzz.Targets;

namespace Sequencer.Fuzz;

/// <summary>Every fuzz target by name. A plain list rather than reflection, so adding a target is one line here.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new ProtobufReaderTarget(),
        new UnsignedVarintTarget(),
        new Base58Target(),
        new VrfProofTarget(),
        new Secp256k1SignaturesTarget(),
        new WireFrameTarget(),
        new InvitationTarget(),
        new InvitationReplyTarget(),
        new ProposalTarget(),
        new VoteTarget(),
        new VoteAckTarget(),
        new VoteSetDeltaTarget(),
        new VoteSetSummaryTarget(),
        new VoteFetchTarget(),
        new AttestationTarget(),
        new CertificateTarget(),
        new PublicKeyProtobufTarget(),
        new PrivateKeyProtobufTarget(),
        new PeerIdBytesTarget(),
        new PeerIdTextTarget(),
        new NoiseHandshakePayloadTarget(),
        new NoiseHandshakeTarget(),
        new IdentifyMessageTarget(),
    ];

    public static IFuzzTarget? Find(string name)
    {
        foreach (var target in All)
        {
            if (target.Name == name)
                return target;
        }
        return null;
    }
}
