using System.Buffers;
using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Primitives;
using Sequencer.Core.Vrf;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Wire;

/// <summary>Field rules beyond parsing: each rule is broken once in an otherwise valid encoding.</summary>
public sealed class WireValidationTests
{
    private static T One<T>(FsCheck.Gen<T> gen) => gen.Sample(1, 10).Single();

    private static WireResult Decode(WireMessageType type, byte[] bytes) => WireCodecs.Decode(type, bytes, out _);

    [Fact]
    public void VoteLayoutIsFixedAt151Bytes()
    {
        var vote = One(WireGenerators.Vote);
        var bytes = WireCodecs.Encode(vote);
        Assert.Equal(151, bytes.Length);
        Assert.Equal(Vote.EncodedLength, bytes.Length);
        Assert.Equal([WireVersion.Current, 0x04], bytes[..2]);
        Assert.Equal(vote.Round.ChainId, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(2)));
        Assert.Equal(vote.Round.Height, BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(10)));
        Assert.Equal(vote.Round.BlockHash.AsReadOnlySpan(), bytes.AsSpan(18, 32));
        Assert.Equal(vote.DirectoryHash.AsReadOnlySpan(), bytes.AsSpan(50, 32));
        Assert.Equal(vote.VoterIndex, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(82)));
        Assert.Equal((byte)vote.Decision, bytes[86]);
        Assert.Equal(vote.Signature.AsReadOnlySpan(), bytes.AsSpan(87, 64));
    }

    [Fact]
    public void FixedSizeMessagesHaveTheDocumentedLengths()
    {
        Assert.Equal(275, Invitation.EncodedLength);
        Assert.Equal(184, InvitationReply.EncodedLength);
        Assert.Equal(55, VoteAck.EncodedLength);
        Assert.Equal(183, Attestation.EncodedLength);
        Assert.Equal(126, CommitteeProof.FixedLength);
        Assert.Equal(69, VoteSetEntry.EncodedLength);
        Assert.Equal(69, SignedDecline.EncodedLength);
        Assert.Equal(84 + 1024 * 69, WireLimits.MaxMessageLength);
        Assert.Equal(EcVrf.ProofSize, VrfProofBytes.Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(255)]
    public void VoteWithUndefinedDecisionIsRefused(byte decision)
    {
        var bytes = WireCodecs.Encode(One(WireGenerators.Vote));
        bytes[86] = decision;
        Assert.Equal(WireResult.Invalid(WireField.Decision), Decode(WireMessageType.Vote, bytes));
    }

    [Fact]
    public void VoterIndexAtTheValidatorBoundIsRefused()
    {
        var bytes = WireCodecs.Encode(One(WireGenerators.Vote));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(82), WireLimits.MaxValidators);
        Assert.Equal(WireResult.Invalid(WireField.VoterIndex), Decode(WireMessageType.Vote, bytes));
        var vote = One(WireGenerators.Vote);
        vote.VoterIndex = WireLimits.MaxValidators;
        var error = Assert.Throws<InvalidWireMessageException>(() => vote.Encode(new ArrayBufferWriter<byte>()));
        Assert.Equal(WireResult.Invalid(WireField.VoterIndex), error.Result);
    }

    [Fact]
    public void VoteAckWithUndefinedStatusIsRefused()
    {
        var bytes = WireCodecs.Encode(One(WireGenerators.VoteAck));
        bytes[^1] = 10;
        Assert.Equal(WireResult.Invalid(WireField.Status), Decode(WireMessageType.VoteAck, bytes));
    }

    [Fact]
    public void InvitationToTheSequencerItselfIsRefused()
    {
        var invitation = One(WireGenerators.Invitation);
        var bytes = WireCodecs.Encode(invitation);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(118), invitation.SequencerIndex);
        Assert.Equal(WireResult.Invalid(WireField.BuddyIndex), Decode(WireMessageType.Invitation, bytes));
    }

    [Theory]
    [InlineData(0x00)]
    [InlineData(0x04)]
    public void ProofWithoutACompressedPointTagIsRefused(byte tag)
    {
        var bytes = WireCodecs.Encode(One(WireGenerators.Invitation));
        bytes[122] = tag;
        Assert.Equal(WireResult.Invalid(WireField.VrfProof), Decode(WireMessageType.Invitation, bytes));
    }

    [Fact]
    public void ZeroDeadlineIsRefused()
    {
        var bytes = WireCodecs.Encode(One(WireGenerators.Invitation));
        bytes.AsSpan(203, 8).Clear();
        Assert.Equal(WireResult.Invalid(WireField.Deadline), Decode(WireMessageType.Invitation, bytes));
    }

    [Theory]
    [InlineData(InvitationAnswer.Accept, DeclineReason.Overloaded)]
    [InlineData(InvitationAnswer.Decline, DeclineReason.None)]
    [InlineData(InvitationAnswer.Decline, (DeclineReason)5)]
    public void ReplyReasonMustFitTheAnswer(InvitationAnswer answer, DeclineReason reason)
    {
        var bytes = WireCodecs.Encode(One(WireGenerators.InvitationReply));
        bytes[118] = (byte)answer;
        bytes[119] = (byte)reason;
        Assert.Equal(WireResult.Invalid(WireField.DeclineReason), Decode(WireMessageType.InvitationReply, bytes));
    }

    [Fact]
    public void ReplyWithUndefinedAnswerIsRefused()
    {
        var bytes = WireCodecs.Encode(One(WireGenerators.InvitationReply));
        bytes[118] = 0;
        Assert.Equal(WireResult.Invalid(WireField.Answer), Decode(WireMessageType.InvitationReply, bytes));
    }

    /// <summary>A proposal with two declines, whose decline entries start at offset 82 + 126.</summary>
    private static byte[] ProposalWithTwoDeclines(out Proposal proposal)
    {
        proposal = One(WireGenerators.Proposal);
        var committee = WireGenerators.BuildProof(
            5, proposal.Committee.ParentHash, proposal.Committee.Proof, 1_700_000_000_000,
            [new SignedDecline { BuddyIndex = 7, Reason = DeclineReason.Overloaded },
             new SignedDecline { BuddyIndex = 9, Reason = DeclineReason.ShuttingDown }]);
        proposal.Committee = committee;
        return WireCodecs.Encode(proposal);
    }

    [Fact]
    public void DeclinesOutOfOrderOrRepeatedAreRefused()
    {
        var bytes = ProposalWithTwoDeclines(out _);
        const int second = 82 + 126 + 69;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(second), 7);
        Assert.Equal(WireResult.Invalid(WireField.Declines), Decode(WireMessageType.Proposal, bytes));
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(second), 6);
        Assert.Equal(WireResult.Invalid(WireField.Declines), Decode(WireMessageType.Proposal, bytes));
    }

    [Fact]
    public void ADeclineByTheSequencerIsRefused()
    {
        var bytes = ProposalWithTwoDeclines(out _);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(82 + 126), 5);
        Assert.Equal(WireResult.Invalid(WireField.Declines), Decode(WireMessageType.Proposal, bytes));
    }

    [Fact]
    public void ADeclineWithoutAReasonIsRefused()
    {
        var bytes = ProposalWithTwoDeclines(out _);
        bytes[82 + 126 + 4] = (byte)DeclineReason.None;
        Assert.Equal(WireResult.Invalid(WireField.DeclineReason), Decode(WireMessageType.Proposal, bytes));
    }

    [Fact]
    public void MoreDeclinesThanCandidatesAreRefusedBeforeReadingThem()
    {
        var bytes = ProposalWithTwoDeclines(out _);
        bytes[82 + 125] = WireLimits.MaxDeclines + 1;
        Assert.Equal(WireResult.TooLarge(WireField.DeclineCount), Decode(WireMessageType.Proposal, bytes));
    }

    [Fact]
    public void CommitteeProofRefusesASecondDeclineFromOneBuddy()
    {
        var committee = new CommitteeProof();
        committee.AddDecline(new SignedDecline { BuddyIndex = 3, Reason = DeclineReason.Overloaded });
        Assert.Throws<ArgumentException>(() => committee.AddDecline(new SignedDecline { BuddyIndex = 3 }));
        for (uint i = 4; committee.DeclineCount < WireLimits.MaxDeclines; i++)
            committee.AddDecline(new SignedDecline { BuddyIndex = i, Reason = DeclineReason.Overloaded });
        Assert.Throws<InvalidOperationException>(() => committee.AddDecline(new SignedDecline { BuddyIndex = 1 }));
    }

    [Fact]
    public void CommitteeProofKeepsDeclinesInBuddyOrder()
    {
        var committee = new CommitteeProof();
        foreach (var buddy in new uint[] { 9, 2, 40, 5 })
            committee.AddDecline(new SignedDecline { BuddyIndex = buddy, Reason = DeclineReason.Overloaded });
        Assert.Equal([2u, 5u, 9u, 40u], committee.Declines.ToArray().Select(d => d.BuddyIndex));
    }

    [Fact]
    public void OversizedBlockSummaryIsRefused()
    {
        var bytes = ProposalWithTwoDeclines(out var proposal);
        var lengthAt = 82 + proposal.Committee.EncodedLength;
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(lengthAt), WireLimits.MaxBlockSummaryLength + 1);
        Assert.Equal(WireResult.TooLarge(WireField.BlockSummaryLength), Decode(WireMessageType.Proposal, bytes));
        proposal.BlockSummary = new ReadOnlySequence<byte>(new byte[WireLimits.MaxBlockSummaryLength + 1]);
        Assert.Throws<InvalidWireMessageException>(() => proposal.Encode(new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void CertificateSignerBitmapMustNameRealPositions()
    {
        var certificate = One(WireGenerators.Certificate);
        var bytes = WireCodecs.Encode(certificate);
        var bitmapAt = 83 + certificate.Committee.EncodedLength;
        bytes[bitmapAt + 2] |= 0x80; // position 23: one past the last candidate
        Assert.Equal(WireResult.Invalid(WireField.SignerBitmap), Decode(WireMessageType.Certificate, bytes));
        var empty = WireCodecs.Encode(certificate)[..(bitmapAt + 3)];
        empty.AsSpan(bitmapAt, 3).Clear();
        Assert.Equal(WireResult.Invalid(WireField.SignerBitmap), Decode(WireMessageType.Certificate, empty));
    }

    [Fact]
    public void CertificateCarriesOneSignaturePerSigner()
    {
        var certificate = One(WireGenerators.Certificate);
        var bytes = WireCodecs.Encode(certificate);
        Assert.Equal(certificate.EncodedLength, bytes.Length);
        var bitmapAt = 83 + certificate.Committee.EncodedLength;
        Assert.Equal(bitmapAt + 3 + 64 * certificate.SignerCount, bytes.Length);
    }

    [Fact]
    public void DeltaEntriesMustBeStrictlyAscending()
    {
        var entries = new[]
        {
            new VoteSetEntry { VoterIndex = 4, Decision = Decision.Accept },
            new VoteSetEntry { VoterIndex = 4, Decision = Decision.Reject }, // equivocation evidence: allowed
            new VoteSetEntry { VoterIndex = 8, Decision = Decision.Accept },
        };
        var delta = new DeltaMessage(One(WireGenerators.Round), One(WireGenerators.Hash), entries);
        var bytes = WireCodecs.Encode(delta);
        Assert.True(Decode(WireMessageType.VoteSetDelta, bytes).IsOk);
        const int third = 84 + 2 * 69;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(third), 4);
        bytes[third + 4] = (byte)Decision.Reject; // an exact duplicate of the second entry
        Assert.Equal(WireResult.Invalid(WireField.Entries), Decode(WireMessageType.VoteSetDelta, bytes));
        bytes[third + 4] = (byte)Decision.Accept; // before the second entry
        Assert.Equal(WireResult.Invalid(WireField.Entries), Decode(WireMessageType.VoteSetDelta, bytes));
        Assert.Throws<InvalidWireMessageException>(() => WireCodecs.Encode(delta with { Entries = [entries[2], entries[0]] }));
    }

    [Fact]
    public void DeltaEntryWithUndefinedDecisionIsRefused()
    {
        var delta = new DeltaMessage(One(WireGenerators.Round), One(WireGenerators.Hash),
            [new VoteSetEntry { VoterIndex = 1, Decision = Decision.Accept }]);
        var bytes = WireCodecs.Encode(delta);
        bytes[84 + 4] = 0;
        Assert.Equal(WireResult.Invalid(WireField.Decision), Decode(WireMessageType.VoteSetDelta, bytes));
    }

    [Fact]
    public void FullDeltaIsTheLargestMessageAndOneMoreEntryIsRefused()
    {
        var entries = Enumerable.Range(0, WireLimits.MaxVoteSetDeltaEntries)
            .Select(i => new VoteSetEntry { VoterIndex = (uint)i, Decision = Decision.Accept }).ToArray();
        var delta = new DeltaMessage(One(WireGenerators.Round), One(WireGenerators.Hash), entries);
        var bytes = WireCodecs.Encode(delta);
        Assert.Equal(WireLimits.MaxMessageLength, bytes.Length);
        Assert.True(WireCodecs.Decode(WireMessageType.VoteSetDelta, bytes, out var decoded).IsOk);
        Assert.Equal(delta, decoded);
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(82), WireLimits.MaxVoteSetDeltaEntries + 1);
        Assert.Equal(WireResult.TooLarge(WireField.EntryCount), Decode(WireMessageType.VoteSetDelta, bytes));
        var tooMany = entries.Append(new VoteSetEntry { VoterIndex = 5000, Decision = Decision.Accept }).ToArray();
        Assert.Throws<InvalidWireMessageException>(() => WireCodecs.Encode(delta with { Entries = tooMany }));
    }

    [Fact]
    public void DeltaEntriesRebuildFullVotes()
    {
        var vote = One(WireGenerators.Vote);
        var entry = VoteSetEntry.FromVote(vote);
        Assert.Equal(vote, entry.ToVote(vote.Round, vote.DirectoryHash));
    }

    private static VoteBitmaps Votes(byte[] accepts, byte[] rejects) => new(new VoterBitmap(accepts), new VoterBitmap(rejects));

    [Fact]
    public void EachBitmapWithATrailingZeroByteIsRefusedByName()
    {
        var summary = new VoteSetSummary { Round = One(WireGenerators.Round), SenderIndex = 1, Held = Votes([1, 0, 0], [0, 4, 0]) };
        var bytes = WireCodecs.Encode(summary);
        Assert.Equal(VoteSetSummary.FixedLength + 1 + 2, bytes.Length); // both encoded minimal
        // accepts: length at 54, bytes at 56; rejects: length at 57, bytes at 59.
        byte[] acceptPadded = [.. bytes[..57], 0, .. bytes[57..]];
        BinaryPrimitives.WriteUInt16BigEndian(acceptPadded.AsSpan(54), 2);
        Assert.Equal(WireResult.Invalid(WireField.AcceptBitmap), Decode(WireMessageType.VoteSetSummary, acceptPadded));
        byte[] rejectPadded = [.. bytes, 0];
        BinaryPrimitives.WriteUInt16BigEndian(rejectPadded.AsSpan(57), 3);
        Assert.Equal(WireResult.Invalid(WireField.RejectBitmap), Decode(WireMessageType.VoteSetSummary, rejectPadded));
    }

    [Theory]
    [InlineData(WireMessageType.VoteSetSummary, false)]
    [InlineData(WireMessageType.VoteSetSummary, true)]
    [InlineData(WireMessageType.VoteFetch, false)]
    [InlineData(WireMessageType.VoteFetch, true)]
    public void EachBitmapBeyondTheValidatorBoundIsRefusedByName(WireMessageType type, bool rejects)
    {
        var tooLong = new byte[WireLimits.MaxVoterBitmapLength + 1];
        tooLong[^1] = 1;
        var bytes = new byte[VoteSetSummary.FixedLength + tooLong.Length];
        bytes[0] = WireVersion.Current;
        bytes[1] = (byte)type;
        // With the reject bitmap too long, the accept bitmap is empty: its length (54) stays 0, the reject's is at 56.
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(rejects ? 56 : 54), (ushort)tooLong.Length);
        bytes[^1] = 1;
        var field = rejects ? WireField.RejectBitmapLength : WireField.AcceptBitmapLength;
        Assert.Equal(WireResult.TooLarge(field), Decode(type, bytes));

        var votes = rejects ? Votes([], tooLong) : Votes(tooLong, []);
        var error = Assert.Throws<InvalidWireMessageException>(() =>
            WireCodecs.Encode(type == WireMessageType.VoteFetch ? new VoteFetch { Wanted = votes } : new VoteSetSummary { Held = votes }));
        Assert.Contains(field.ToString(), error.Message);
    }

    [Fact]
    public void FetchForNothingIsRefused()
    {
        var bytes = new byte[VoteFetch.FixedLength];
        bytes[0] = WireVersion.Current;
        bytes[1] = (byte)WireMessageType.VoteFetch;
        Assert.Equal(WireResult.Invalid(WireField.WantedVotes), Decode(WireMessageType.VoteFetch, bytes));
        Assert.Throws<InvalidWireMessageException>(() => WireCodecs.Encode(new VoteFetch { Wanted = Votes([0, 0], []) }));
        var summary = bytes.ToArray();
        summary[1] = (byte)WireMessageType.VoteSetSummary;
        Assert.True(Decode(WireMessageType.VoteSetSummary, summary).IsOk); // holding nothing is a fine summary
    }

    [Fact]
    public void AFetchForRejectsAloneIsAFetch()
    {
        var fetch = new VoteFetch { Round = One(WireGenerators.Round), RequesterIndex = 2, Wanted = Votes([], [0, 0x10]) };
        var bytes = WireCodecs.Encode(fetch);
        Assert.True(Decode(WireMessageType.VoteFetch, bytes).IsOk);
        Assert.True(VoteFetch.TryDecode(new ReadOnlySequence<byte>(bytes), out var decoded).IsOk);
        Assert.Equal(fetch, decoded);
        Assert.False(decoded.Wanted.Contains(12, Decision.Accept));
        Assert.True(decoded.Wanted.Contains(12, Decision.Reject));
    }

    /// <summary>
    /// Every single-bit flip of a summary or fetch is refused with a typed error, or decodes to a different message
    /// whose one encoding is exactly the flipped bytes. A flip in the header is always refused. A flip inside a bitmap
    /// names other votes, which an unsigned summary cannot tell from the truth (a false summary only misdirects
    /// fetches); one that zeroes a bitmap's last byte is refused as non-minimal; a flipped length no longer matches
    /// the bytes that follow, or exceeds the bound, unless the bytes happen to read as another well-formed message.
    /// </summary>
    [Property(MaxTest = 60)]
    public Property EveryBitFlipOfASummaryOrFetchIsRefusedOrIsAnotherCanonicalMessage()
    {
        var samples = Gen.OneOf(
            WireGenerators.VoteSetSummary.Select(m => WireGenerators.ToSample(WireMessageType.VoteSetSummary, m)),
            WireGenerators.VoteFetch.Select(m => WireGenerators.ToSample(WireMessageType.VoteFetch, m)));
        return Prop.ForAll(samples.Where(s => s.Bytes.Length <= 400).ToArbitrary(), sample =>
        {
            for (var bit = 0; bit < sample.Bytes.Length * 8; bit++)
            {
                var flipped = (byte[])sample.Bytes.Clone();
                flipped[bit / 8] ^= (byte)(1 << (bit % 8));
                var result = WireCodecs.Decode(sample.Type, flipped, out var decoded);
                if (bit < 16 && result.IsOk)
                    return false;
                if (result.IsOk && (Equals(decoded, sample.Message) || !WireCodecs.Encode(decoded!).AsSpan().SequenceEqual(flipped)))
                    return false;
            }
            return true;
        });
    }

    [Fact]
    public void BitmapEnumeratesItsIndicesAcrossSegments()
    {
        var bits = new byte[300];
        uint[] indices = [0, 7, 8, 63, 64, 1000, 2399];
        foreach (var index in indices)
            VoterBitmap.Set(bits, index);
        var bitmap = new VoterBitmap(SegmentedSequence.Create(bits, [1, 0, 5, 13]));
        var seen = new List<uint>();
        foreach (var index in bitmap)
            seen.Add(index);
        Assert.Equal(indices, seen);
        Assert.Equal(indices.Length, bitmap.Count);
        Assert.True(bitmap.Contains(1000));
        Assert.False(bitmap.Contains(1001));
        Assert.False(bitmap.Contains(65_000));
        Assert.Equal(300, bitmap.MinimalLength);
        Assert.True(VoterBitmap.IsSet(bits, 63));
        Assert.False(VoterBitmap.IsSet(bits, 62));
    }

    [Fact]
    public void PeekNamesTheTypeWithoutConsuming()
    {
        var bytes = WireCodecs.Encode(One(WireGenerators.Attestation));
        Assert.True(WireHeader.TryPeek(new ReadOnlySequence<byte>(bytes), out var type).IsOk);
        Assert.Equal(WireMessageType.Attestation, type);
        Assert.Equal(WireResult.Truncated(WireField.Version), WireHeader.TryPeek(ReadOnlySequence<byte>.Empty, out _));
        Assert.Equal(WireResult.Truncated(WireField.MessageType), WireHeader.TryPeek(new ReadOnlySequence<byte>(bytes, 0, 1), out _));
    }

    [Fact]
    public void ResultsReadWellInLogs()
    {
        Assert.Equal("InvalidField(Decision)", WireResult.Invalid(WireField.Decision).ToString());
        Assert.Equal("TrailingBytes", new WireResult(WireError.TrailingBytes, WireField.None).ToString());
        Assert.True(WireResult.Ok.IsOk);
    }

    [Fact]
    public void HashesCompareByValue()
    {
        var a = One(WireGenerators.Hash);
        var b = Hash32.FromSpan(a.AsReadOnlySpan());
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        b[31] ^= 1;
        Assert.NotEqual(a, b);
        Assert.Throws<ArgumentOutOfRangeException>(() => Hash32.FromSpan(new byte[31]));
    }
}
