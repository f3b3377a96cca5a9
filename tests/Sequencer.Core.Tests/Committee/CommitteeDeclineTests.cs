using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Committee;
using Sequencer.Core.Consensus;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Committee;

public sealed class CommitteeDeclineTests
{
    private static readonly CommitteeFixture s_fixture = new();

    private static int[] Positions(EffectiveCommittee committee) => committee.Members.Select(m => m.Position).ToArray();

    /// <summary>Main slots 0 … 12 with the given (slot, position) replacements.</summary>
    private static int[] MainsWith(params (int Slot, int Position)[] replacements)
    {
        var positions = Enumerable.Range(0, 13).ToArray();
        foreach (var (slot, position) in replacements)
            positions[slot] = position;
        return positions;
    }

    [Fact]
    public void WithoutDeclinesTheMainBuddiesServe()
    {
        var committee = s_fixture.Apply();
        Assert.Equal(MainsWith(), Positions(committee));
        Assert.Equal(committee.Members.Select(m => m.ValidatorIndex), s_fixture.Seats.Candidates[..13]);
        Assert.Empty(committee.Declines);
        Assert.Equal(13, committee.Count);
        Assert.Equal((1u << 13) - 1, committee.MemberPositions);
        Assert.Equal(s_fixture.Seats.WithoutDeclines(s_fixture.Round, CommitteeFixture.Deadline).Digest, committee.Digest);
        Assert.Equal(s_fixture.Seats.Candidates[13..].ToArray(), committee.PeerList.BackupPeers.Select(v => v.Index).ToArray());
    }

    [Fact]
    public void ADeclinedMainIsReplacedByTheFirstBackupInItsSlot()
    {
        var committee = s_fixture.Apply(s_fixture.DeclineAt(3));
        Assert.Equal(MainsWith((3, 13)), Positions(committee));
        Assert.False(committee.Contains(s_fixture.At(3)));
        Assert.True(committee.Contains(s_fixture.At(13)));
        Assert.True(committee.TryGetPosition(s_fixture.At(13), out var position));
        Assert.Equal(13, position);
        Assert.True(committee.TryGetMemberAt(13, out var member));
        Assert.Equal(s_fixture.At(13), member.Index);
        Assert.False(committee.TryGetMemberAt(3, out _));
        Assert.False(committee.TryGetMemberAt(14, out _));
        Assert.False(committee.TryGetMemberAt(-1, out _));
        Assert.False(committee.Contains(s_fixture.Sequencer));
        var peers = committee.PeerList;
        Assert.Equal(Positions(committee).Select(s_fixture.At), peers.MainPeers.Select(v => v.Index));
        Assert.Equal(s_fixture.Seats.Candidates[14..].ToArray(), peers.BackupPeers.Select(v => v.Index).ToArray());
    }

    [Fact]
    public void ReplacementsConsumeBackupsInDrawOrderSlotBySlot()
    {
        // Declines arrive in any order; the slots take backups in slot order.
        Assert.Equal(MainsWith((3, 13), (7, 14)), Positions(s_fixture.Apply(s_fixture.DeclinesAt(7, 3))));
        Assert.Equal(MainsWith((0, 13), (12, 14)), Positions(s_fixture.Apply(s_fixture.DeclinesAt(12, 0))));
    }

    [Fact]
    public void ABackupThatDeclinesTooIsPassedOver()
    {
        Assert.Equal(MainsWith((3, 14)), Positions(s_fixture.Apply(s_fixture.DeclinesAt(3, 13))));
        Assert.Equal(MainsWith((3, 15), (5, 17)), Positions(s_fixture.Apply(s_fixture.DeclinesAt(3, 5, 13, 14, 16))));
    }

    [Fact]
    public void EveryBackupCanBeUsedButNoMore()
    {
        var ten = s_fixture.Apply(s_fixture.DeclinesAt(Enumerable.Range(0, 10).ToArray()));
        Assert.Equal(Enumerable.Range(13, 10).Concat(Enumerable.Range(10, 3)), Positions(ten));
        Assert.Empty(ten.PeerList.BackupPeers);
        var nineAndABackup = s_fixture.Apply(s_fixture.DeclinesAt([.. Enumerable.Range(0, 9), 13]));
        Assert.Equal(Enumerable.Range(14, 9).Concat(Enumerable.Range(9, 4)), Positions(nineAndABackup));

        Assert.Equal(CommitteeError.NotEnoughBackups, s_fixture.Refusal(s_fixture.DeclinesAt(Enumerable.Range(0, 11).ToArray())).Error);
        Assert.Equal(CommitteeError.NotEnoughBackups, s_fixture.Refusal(s_fixture.DeclinesAt([.. Enumerable.Range(0, 10), 13])).Error);
    }

    [Fact]
    public void ADeclineFromABackupNoReplacementReachedIsRefused()
    {
        Assert.Equal(new CommitteeRefusal(CommitteeError.DeclineNotNeeded, s_fixture.At(14)), s_fixture.Refusal(s_fixture.DeclinesAt(3, 14)));
        Assert.Equal(CommitteeError.DeclineNotNeeded, s_fixture.Refusal(s_fixture.DeclinesAt(13)).Error);
    }

    [Fact]
    public void AnAcceptIsNotADecline()
    {
        var accept = Invitations.CreateReply(s_fixture.Invite(s_fixture.At(2)), DeclineReason.None, s_fixture.Network.SignerOf(s_fixture.At(2)));
        Assert.Equal(new CommitteeRefusal(CommitteeError.NotADecline, s_fixture.At(2)), s_fixture.Refusal(accept));
    }

    [Fact]
    public void AMalformedDeclineIsRefused()
    {
        var decline = s_fixture.DeclineAt(2);
        decline.Reason = DeclineReason.None;
        Assert.Equal(CommitteeError.MalformedDecline, s_fixture.Refusal(s_fixture.Resign(decline, s_fixture.At(2))).Error);
    }

    [Fact]
    public void ADeclineFromAValidatorNotDrawnIsRefused()
    {
        var outsider = s_fixture.NonCandidate();
        var invitation = s_fixture.Invite(s_fixture.At(0));
        invitation.BuddyIndex = (uint)outsider;
        invitation = s_fixture.Resign(invitation, s_fixture.Sequencer);
        var decline = Invitations.CreateReply(invitation, DeclineReason.Overloaded, s_fixture.Network.SignerOf(outsider));
        Assert.Equal(new CommitteeRefusal(CommitteeError.DeclineFromNonCandidate, outsider), s_fixture.Refusal(decline));
        Assert.Throws<ArgumentException>(() => s_fixture.Invite(outsider));
    }

    [Fact]
    public void ADeclineForAnotherRoundDirectoryOrInvitationIsRefused()
    {
        var buddy = s_fixture.At(2);
        var otherBlock = new RoundId(s_fixture.Round.ChainId, s_fixture.Round.Height, CommitteeFixture.HashOf("another block"));
        var forOtherBlock = Invitations.CreateReply(
            Invitations.Create(s_fixture.Seats, otherBlock, buddy, CommitteeFixture.Deadline, s_fixture.Network.SignerOf(s_fixture.Sequencer)),
            DeclineReason.Overloaded, s_fixture.Network.SignerOf(buddy));
        Assert.Equal(CommitteeError.DeclineForAnotherRound, s_fixture.Refusal(forOtherBlock).Error);

        var forOtherDirectory = s_fixture.DeclineAt(2);
        forOtherDirectory.DirectoryHash = CommitteeFixture.HashOf("another directory");
        Assert.Equal(CommitteeError.DeclineForAnotherDirectory, s_fixture.Refusal(s_fixture.Resign(forOtherDirectory, buddy)).Error);

        var forOtherDeadline = Invitations.CreateReply(s_fixture.Invite(buddy, CommitteeFixture.Deadline + 1), DeclineReason.Overloaded,
            s_fixture.Network.SignerOf(buddy));
        Assert.Equal(new CommitteeRefusal(CommitteeError.DeclineForAnotherInvitation, buddy), s_fixture.Refusal(forOtherDeadline));
    }

    [Fact]
    public void AnUnsignedOrForgedDeclineIsRefused()
    {
        var buddy = s_fixture.At(2);
        var unsigned = s_fixture.DeclineAt(2);
        unsigned.Signature = default;
        Assert.Equal(new CommitteeRefusal(CommitteeError.BadDeclineSignature, buddy), s_fixture.Refusal(unsigned));
        // The sequencer signing in the buddy's name.
        Assert.Equal(CommitteeError.BadDeclineSignature, s_fixture.Refusal(s_fixture.Resign(s_fixture.DeclineAt(2), s_fixture.Sequencer)).Error);
        var otherReason = s_fixture.DeclineAt(2);
        otherReason.Reason = DeclineReason.ShuttingDown;
        Assert.Equal(CommitteeError.BadDeclineSignature, s_fixture.Refusal(otherReason).Error);
    }

    [Fact]
    public void TwoDeclinesFromOneBuddyAreRefused()
    {
        var decline = s_fixture.DeclineAt(4);
        Assert.Equal(new CommitteeRefusal(CommitteeError.DuplicateDecline, s_fixture.At(4)), s_fixture.Refusal(decline, s_fixture.DeclineAt(1), decline));
        Assert.Equal(CommitteeError.DuplicateDecline, s_fixture.Refusal(decline, s_fixture.DeclineAt(4, DeclineReason.NotSynchronized)).Error);
    }

    [Fact]
    public void ARoundAtAnotherHeightIsAProgrammingError()
    {
        var otherHeight = new RoundId(s_fixture.Round.ChainId, s_fixture.Round.Height + 1, s_fixture.Round.BlockHash);
        Assert.Throws<ArgumentException>(() => s_fixture.Seats.TryApplyDeclines(otherHeight, CommitteeFixture.Deadline, [], out _, out _));
        Assert.Throws<ArgumentException>(() => s_fixture.Seats.WithoutDeclines(otherHeight, CommitteeFixture.Deadline));
    }

    [Fact]
    public void AnyNodeRederivesTheCommitteeFromItsProof()
    {
        var committee = s_fixture.Apply(s_fixture.DeclinesAt(3, 5, 13, 14, 16));
        var proof = committee.ToProof();
        Assert.Equal(5, proof.DeclineCount);
        Assert.True(EffectiveCommittee.TryVerify(s_fixture.Network.Directory, CommitteeSize.Default, s_fixture.Round,
            s_fixture.Network.Directory.Hash, proof, out var verified, out var refusal), refusal.ToString());
        Assert.Equal(Positions(committee), Positions(verified));
        Assert.Equal(committee.Members.Select(m => m.ValidatorIndex), verified.Members.Select(m => m.ValidatorIndex));
        Assert.Equal(committee.Digest, verified.Digest);
        var expectedDigest = default(Hash32);
        proof.ComputeDigest(s_fixture.Round, s_fixture.Network.Directory.Hash, expectedDigest);
        Assert.Equal(expectedDigest, verified.Digest);
        Assert.Equal(CommitteeFixture.Deadline, verified.Deadline);
    }

    [Fact]
    public void TheCommitteeSurvivesTheWireInACertificate()
    {
        var committee = s_fixture.Apply(s_fixture.DeclinesAt(0, 13));
        var certificate = new Certificate
        {
            Round = s_fixture.Round,
            DirectoryHash = s_fixture.Network.Directory.Hash,
            Value = Decision.Accept,
            Committee = committee.ToProof(),
        };
        certificate.AddSigner(14, default);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        certificate.Encode(buffer);
        Assert.True(Certificate.TryDecode(new System.Buffers.ReadOnlySequence<byte>(buffer.WrittenMemory), out var decoded).IsOk);
        Assert.True(EffectiveCommittee.TryVerify(s_fixture.Network.Directory, CommitteeSize.Default, decoded.Round,
            decoded.DirectoryHash, decoded.Committee, out var verified, out _));
        Assert.Equal((verified.MemberPositions & decoded.SignerBitmap), decoded.SignerBitmap);
        Assert.Equal(committee.Digest, verified.Digest);
        Assert.True(QuorumRules.IsCertificateQuorum(9, verified.Count));
    }

    [Fact]
    public void ATamperedProofIsRefused()
    {
        var directory = s_fixture.Network.Directory;
        var committee = s_fixture.Apply(s_fixture.DeclinesAt(3, 13));

        CommitteeRefusal Verify(CommitteeProof proof, RoundId? round = null, Hash32? directoryHash = null)
        {
            Assert.False(EffectiveCommittee.TryVerify(directory, CommitteeSize.Default, round ?? s_fixture.Round,
                directoryHash ?? directory.Hash, proof, out var verified, out var refusal));
            Assert.Null(verified);
            return refusal;
        }

        var badSignature = committee.ToProof();
        var flipped = committee.Declines[0];
        flipped.Signature[5] ^= 1;
        badSignature = Rebuild(badSignature, [flipped, committee.Declines[1]]);
        Assert.Equal(CommitteeError.BadDeclineSignature, Verify(badSignature).Error);

        var otherReason = committee.Declines[0];
        otherReason.Reason = DeclineReason.ShuttingDown;
        Assert.Equal(CommitteeError.BadDeclineSignature, Verify(Rebuild(committee.ToProof(), [otherReason, committee.Declines[1]])).Error);

        // The declines are bound to the deadline the invitations carried and to the round's block.
        var otherDeadline = committee.ToProof();
        otherDeadline.Deadline++;
        Assert.Equal(CommitteeError.BadDeclineSignature, Verify(otherDeadline).Error);
        var otherBlock = new RoundId(s_fixture.Round.ChainId, s_fixture.Round.Height, CommitteeFixture.HashOf("x"));
        Assert.Equal(CommitteeError.BadDeclineSignature, Verify(committee.ToProof(), otherBlock).Error);

        Assert.Equal(CommitteeError.WrongDirectory, Verify(committee.ToProof(), directoryHash: CommitteeFixture.HashOf("d")).Error);
        var otherChain = new RoundId(8, s_fixture.Round.Height, s_fixture.Round.BlockHash);
        Assert.Equal(CommitteeError.WrongChain, Verify(committee.ToProof(), otherChain).Error);

        var otherSequencer = committee.ToProof();
        otherSequencer.SequencerIndex = 1;
        Assert.Equal(CommitteeError.BadProof, Verify(otherSequencer).Error);
        var otherParent = committee.ToProof();
        otherParent.ParentHash = CommitteeFixture.HashOf("another parent");
        Assert.Equal(CommitteeError.BadProof, Verify(otherParent).Error);
        var unknownSequencer = committee.ToProof();
        unknownSequencer.SequencerIndex = 1000;
        Assert.Equal(CommitteeError.UnknownSequencer, Verify(unknownSequencer).Error);

        var sequencerDeclines = committee.ToProof();
        sequencerDeclines.AddDecline(new SignedDecline { BuddyIndex = (uint)s_fixture.Sequencer, Reason = DeclineReason.Overloaded });
        Assert.Equal(CommitteeError.MalformedProof, Verify(sequencerDeclines).Error);

        var outsider = committee.ToProof();
        outsider.AddDecline(new SignedDecline { BuddyIndex = (uint)s_fixture.NonCandidate(), Reason = DeclineReason.Overloaded });
        Assert.Equal(CommitteeError.DeclineFromNonCandidate, Verify(outsider).Error);

        // A genuine decline from a backup no replacement reached.
        var unreached = committee.ToProof();
        unreached.AddDecline(s_fixture.DeclineAt(20).ToSignedDecline());
        Assert.Equal(new CommitteeRefusal(CommitteeError.DeclineNotNeeded, s_fixture.At(20)), Verify(unreached));
    }

    private static CommitteeProof Rebuild(CommitteeProof proof, SignedDecline[] declines)
    {
        var rebuilt = new CommitteeProof
        {
            SequencerIndex = proof.SequencerIndex,
            ParentHash = proof.ParentHash,
            Proof = proof.Proof,
            Deadline = proof.Deadline,
        };
        foreach (var decline in declines)
            rebuilt.AddDecline(decline);
        return rebuilt;
    }

    [Fact]
    public void AnySetOfDeclinesFollowsTheReplacementRule()
    {
        // Model: the declined mains' slots take the non-declined backups in draw order; every backup up to the last one
        // used (or every backup, when they run out) has been reached. Refused when the backups run out, or when a
        // declined backup lies beyond the last one reached.
        var subsets = Gen.ListOf(Gen.Choose(0, 22), 8).Select(positions => positions.Distinct().ToArray());
        Prop.ForAll(subsets.ToArbitrary(), declined =>
        {
            var declinedSet = declined.ToHashSet();
            var declinedMains = Enumerable.Range(0, 13).Where(declinedSet.Contains).ToArray();
            var freeBackups = Enumerable.Range(13, 10).Where(p => !declinedSet.Contains(p)).ToArray();
            var applied = s_fixture.Seats.TryApplyDeclines(s_fixture.Round, CommitteeFixture.Deadline,
                declined.Select(p => s_fixture.DeclineAt(p)).ToArray(), out var committee, out var refusal);
            if (declinedMains.Length > freeBackups.Length)
                return !applied && refusal.Error == CommitteeError.NotEnoughBackups;
            var lastReached = declinedMains.Length == 0 ? 12 : freeBackups[declinedMains.Length - 1];
            if (declined.Any(p => p > lastReached))
                return !applied && refusal.Error == CommitteeError.DeclineNotNeeded;
            var expected = Enumerable.Range(0, 13).ToArray();
            for (var i = 0; i < declinedMains.Length; i++)
                expected[declinedMains[i]] = freeBackups[i];
            if (!applied || !Positions(committee!).SequenceEqual(expected))
                return false;
            // And every node re-derives it from the proof alone.
            return EffectiveCommittee.TryVerify(s_fixture.Network.Directory, CommitteeSize.Default, s_fixture.Round,
                       s_fixture.Network.Directory.Hash, committee!.ToProof(), out var verified, out _)
                   && Positions(verified).SequenceEqual(expected) && verified.Digest == committee.Digest;
        }).QuickCheckThrowOnFailure();
    }
}
