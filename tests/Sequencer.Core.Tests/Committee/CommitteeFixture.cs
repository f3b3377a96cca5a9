using System.Text;
using Sequencer.Core.Committee;
using Sequencer.Core.Crypto;
using Sequencer.Core.Primitives;
using Sequencer.Core.Tests.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Committee;

/// <summary>A network, a sequencer's draw at one height and a round on it, with helpers to sign invitations and replies.</summary>
internal sealed class CommitteeFixture
{
    public const ulong Deadline = 1_750_000_000_000;

    public CommitteeFixture(int validators = 40, int sequencer = 0, ulong height = 10, Func<int, ulong>? weight = null)
    {
        Network = TestNetwork.Create(validators, weight);
        Sequencer = sequencer;
        Seats = CommitteeSeats.Draw(
            Network.Directory, CommitteeSize.Default, sequencer, Network.Keys[sequencer], Network.Directory.ChainId, height, HashOf($"parent {height}"));
        Round = new RoundId(Network.Directory.ChainId, height, HashOf($"block {height}"));
    }

    public TestNetwork Network { get; }

    public int Sequencer { get; }

    public CommitteeSeats Seats { get; }

    public RoundId Round { get; }

    public static Hash32 HashOf(string text)
    {
        var hash = default(Hash32);
        Sha256.Hash(Encoding.UTF8.GetBytes(text), hash);
        return hash;
    }

    /// <summary>The validator at draw position <paramref name="position"/>.</summary>
    public int At(int position) => Seats.Candidates[position];

    public Invitation Invite(int buddy, ulong deadline = Deadline) =>
        Invitations.Create(Seats, Round, buddy, deadline, Network.SignerOf(Sequencer));

    /// <summary>The signed decline of the validator at draw position <paramref name="position"/>, as it would answer.</summary>
    public InvitationReply DeclineAt(int position, DeclineReason reason = DeclineReason.Overloaded) =>
        Invitations.CreateReply(Invite(At(position)), reason, Network.SignerOf(At(position)));

    public InvitationReply[] DeclinesAt(params int[] positions) => positions.Select(p => DeclineAt(p)).ToArray();

    /// <summary>Re-signs <paramref name="reply"/> with validator <paramref name="signer"/>'s key after a field changed.</summary>
    public InvitationReply Resign(InvitationReply reply, int signer)
    {
        var digest = default(Hash32);
        reply.ComputeSigningDigest(digest);
        Network.SignerOf(signer).Sign(digest, reply.Signature);
        return reply;
    }

    public Invitation Resign(Invitation invitation, int signer)
    {
        var digest = default(Hash32);
        invitation.ComputeSigningDigest(digest);
        Network.SignerOf(signer).Sign(digest, invitation.Signature);
        return invitation;
    }

    /// <summary>A validator the VRF did not draw.</summary>
    public int NonCandidate() =>
        Enumerable.Range(0, Network.Directory.Count).First(i => i != Sequencer && Seats.PositionOf(i) < 0);

    public EffectiveCommittee Apply(params InvitationReply[] declines)
    {
        Assert.True(Seats.TryApplyDeclines(Round, Deadline, declines, out var committee, out var refusal), refusal.ToString());
        return committee;
    }

    public CommitteeRefusal Refusal(params InvitationReply[] declines)
    {
        Assert.False(Seats.TryApplyDeclines(Round, Deadline, declines, out var committee, out var refusal));
        Assert.Null(committee);
        return refusal;
    }
}
