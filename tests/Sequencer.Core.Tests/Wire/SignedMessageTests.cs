using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Tests.Crypto.Secp256k1;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Wire;

/// <summary>
/// Signed messages under real BIP340 keys: a genuine message verifies, and no single bit flip anywhere in its
/// encoding yields a message that both decodes and still verifies — the flip is refused by the decoder or breaks a
/// signature. (The original's votes and attestations could be altered or replayed freely, §9.4.)
/// </summary>
public sealed class SignedMessageTests : Secp256k1TestBase
{
    private static Property EveryBitFlipIsCaught<T>(Gen<T> messages, WireMessageType type) where T : notnull =>
        Prop.ForAll(messages.ToArbitrary(), message =>
        {
            var bytes = WireCodecs.Encode(message);
            if (!WireCodecs.Decode(type, bytes, out var genuine).IsOk || !SignedMessages.AllSignaturesVerify(genuine!))
                return false;
            for (var bit = 0; bit < bytes.Length * 8; bit++)
            {
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                // Verified before the bit is restored: a decoded proposal's summary borrows these very bytes.
                var caught = !WireCodecs.Decode(type, bytes, out var flipped).IsOk
                    || !SignedMessages.AllSignaturesVerify(flipped!);
                bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                if (!caught)
                    return false;
            }
            return true;
        });

    [Property(MaxTest = 12)]
    public Property EveryBitFlipOfAVoteIsCaught() => EveryBitFlipIsCaught(SignedMessages.Vote, WireMessageType.Vote);

    [Property(MaxTest = 6)]
    public Property EveryBitFlipOfAnInvitationIsCaught() => EveryBitFlipIsCaught(SignedMessages.Invitation, WireMessageType.Invitation);

    [Property(MaxTest = 6)]
    public Property EveryBitFlipOfAnInvitationReplyIsCaught() =>
        EveryBitFlipIsCaught(SignedMessages.InvitationReply, WireMessageType.InvitationReply);

    [Property(MaxTest = 6)]
    public Property EveryBitFlipOfAnAttestationIsCaught() => EveryBitFlipIsCaught(SignedMessages.Attestation, WireMessageType.Attestation);

    [Property(MaxTest = 3)]
    public Property EveryBitFlipOfAProposalIsCaught() => EveryBitFlipIsCaught(SignedMessages.Proposal, WireMessageType.Proposal);

    [Property(MaxTest = 3)]
    public Property EveryBitFlipOfACertificateIsCaught() => EveryBitFlipIsCaught(SignedMessages.Certificate, WireMessageType.Certificate);

    [Property(MaxTest = 3)]
    public Property EveryBitFlipOfAVoteSetDeltaIsCaught() => EveryBitFlipIsCaught(SignedMessages.VoteSetDelta, WireMessageType.VoteSetDelta);

    /// <summary>A vote signed for one round never verifies as the same voter's vote in another chain, height, block or epoch.</summary>
    [Property(MaxTest = 30)]
    public Property AVoteCannotBeReplayedIntoAnotherRoundOrEpoch()
    {
        var input = SignedMessages.Vote.SelectMany(vote => Gen.Choose(0, 3).Select(field => (vote, field)));
        return Prop.ForAll(input.ToArbitrary(), x =>
        {
            var replayed = x.vote;
            var block = x.vote.Round.BlockHash;
            switch (x.field)
            {
                case 0: replayed.Round = new Primitives.RoundId(x.vote.Round.ChainId ^ 1, x.vote.Round.Height, block); break;
                case 1: replayed.Round = new Primitives.RoundId(x.vote.Round.ChainId, x.vote.Round.Height ^ 1, block); break;
                case 2: block[5] ^= 0x10; replayed.Round = new Primitives.RoundId(x.vote.Round.ChainId, x.vote.Round.Height, block); break;
                default: replayed.DirectoryHash[0] ^= 1; break;
            }
            return SignedMessages.AllSignaturesVerify(x.vote) && !SignedMessages.AllSignaturesVerify(replayed);
        });
    }

    /// <summary>An attestation's signature never verifies as the attester's vote, nor as its signed reply.</summary>
    [Property(MaxTest = 20)]
    public Property AnAttestationCannotBeReplayedAsAVote() => Prop.ForAll(SignedMessages.Attestation.ToArbitrary(), attestation =>
    {
        var asVote = new Vote
        {
            Round = attestation.Round, DirectoryHash = attestation.DirectoryHash, VoterIndex = attestation.AttesterIndex,
            Decision = attestation.Value, Signature = attestation.Signature,
        };
        return SignedMessages.AllSignaturesVerify(attestation) && !SignedMessages.AllSignaturesVerify(asVote);
    });
}
