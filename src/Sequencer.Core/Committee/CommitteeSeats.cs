using System.Buffers;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Vrf;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Committee;

/// <summary>
/// The committee as the VRF drew it for one height (DESIGN §3 step 1), before any replacement: the candidate list of
/// up to <see cref="CommitteeSize.Candidates"/> validators, the first <see cref="MainCount"/> the main buddies and
/// the rest the ordered backups. A candidate's place in <see cref="Candidates"/> is its <em>position</em>, which
/// certificates use to name signers.
/// </summary>
/// <remarks>
/// <para>The draw: α = <see cref="CommitteeAlpha"/>(chainId, height, parentHash); π = ECVRF.Prove(sequencer's
/// validator secret, α); β = ECVRF.ProofToHash(π); candidates = every buddy-eligible validator of the directory
/// (<see cref="ValidatorInfo.IsBuddyEligible"/>) except the sequencer, in index order, each with its weight;
/// <see cref="CommitteeSampler.Select"/>(β, candidates, main + backup). With few eligible validators the draw is
/// shorter than main + backup: <see cref="MainCount"/> shrinks first to what there is, then the backups, and every
/// quorum is counted over the committee actually drawn.</para>
/// <para>The sequencer <see cref="Draw"/>s; every other node <see cref="TryDerive"/>s the same seats from π, which it
/// first verifies under the sequencer's key. The VRF is unique for a key and α, so a verified π leaves the sequencer
/// no choice of committee at all.</para>
/// <para>Replacing a member is <see cref="TryApplyDeclines"/>'s business and needs a signed decline per replacement.</para>
/// </remarks>
public sealed class CommitteeSeats
{
    private CommitteeSeats(
        ValidatorDirectory directory, CommitteeSize size, int sequencerIndex, ulong height, in Hash32 parentHash,
        in VrfProofBytes proof, in Hash32 beta, ImmutableArray<int> candidates)
    {
        Directory = directory;
        Size = size;
        SequencerIndex = sequencerIndex;
        Height = height;
        ParentHash = parentHash;
        Proof = proof;
        Beta = beta;
        Candidates = candidates;
        MainCount = Math.Min(size.MainPeers, candidates.Length);
    }

    public ValidatorDirectory Directory { get; }

    public CommitteeSize Size { get; }

    public int SequencerIndex { get; }

    public ValidatorInfo Sequencer => Directory[SequencerIndex];

    public ulong ChainId => Directory.ChainId;

    public ulong Height { get; }

    public Hash32 ParentHash { get; }

    /// <summary>π, the sequencer's VRF proof over α.</summary>
    public VrfProofBytes Proof { get; }

    /// <summary>β, the VRF output the draw is made from.</summary>
    public Hash32 Beta { get; }

    /// <summary>Directory indices in draw order: position p holds <c>Candidates[p]</c>.</summary>
    public ImmutableArray<int> Candidates { get; }

    /// <summary>Positions 0 … MainCount − 1 are the main buddies (fewer than configured when the directory is small).</summary>
    public int MainCount { get; }

    /// <summary>Positions MainCount … are the backups, in the order they replace members.</summary>
    public int BackupCount => Candidates.Length - MainCount;

    /// <summary>The draw as the seed's <see cref="Committee.PeerList"/>.</summary>
    public PeerList PeerList => new(ValidatorsAt(0, MainCount), ValidatorsAt(MainCount, BackupCount));

    /// <summary>The position of <paramref name="validatorIndex"/> in the draw, or −1 when the VRF did not draw it.</summary>
    public int PositionOf(int validatorIndex) => Candidates.IndexOf(validatorIndex);

    /// <summary>The VRF input of these seats (see <see cref="CommitteeAlpha"/>).</summary>
    public void WriteAlpha(Span<byte> alpha) => CommitteeAlpha.Write(ChainId, Height, ParentHash, alpha);

    /// <summary>
    /// The sequencer's draw: proves the VRF with its validator key and samples the committee. Deterministic: the same
    /// key, directory, height and parent always give the same π and the same seats.
    /// </summary>
    /// <exception cref="CommitteeException">
    /// The chain is not the directory's, the index names no validator, the key is not that validator's, or the
    /// directory has no other validator to draw.
    /// </exception>
    public static CommitteeSeats Draw(
        ValidatorDirectory directory, CommitteeSize size, int sequencerIndex, Secp256k1PrivateKey validatorKey,
        ulong chainId, ulong height, in Hash32 parentHash)
    {
        if (chainId != directory.ChainId)
            throw new CommitteeException(new(CommitteeError.WrongChain),
                $"chain {chainId} is not the directory's chain {directory.ChainId}");
        if ((uint)sequencerIndex >= (uint)directory.Count)
            throw new CommitteeException(new(CommitteeError.UnknownSequencer, sequencerIndex),
                $"validator {sequencerIndex} is not in the directory ({directory.Count} validators)");
        if (!validatorKey.PublicKey.Equals(directory[sequencerIndex].PublicKey))
            throw new CommitteeException(new(CommitteeError.NotTheSequencersKey, sequencerIndex),
                $"the key {validatorKey.PublicKey} is not validator {sequencerIndex}'s ({directory[sequencerIndex].PublicKey})");

        Span<byte> alpha = stackalloc byte[CommitteeAlpha.Length];
        CommitteeAlpha.Write(chainId, height, parentHash, alpha);
        var proof = default(VrfProofBytes);
        Span<byte> secret = stackalloc byte[EcVrf.SecretKeySize];
        try
        {
            validatorKey.CopySecretTo(secret);
            EcVrf.Prove(secret, alpha, proof);
        }
        finally
        {
            Sodium.Wipe(secret);
        }
        var beta = default(Hash32);
        if (!EcVrf.TryProofToHash(proof, beta))
            throw new CryptographicLibraryException("a freshly made VRF proof did not decode");

        var candidates = Sample(directory, size, sequencerIndex, beta);
        if (candidates.IsEmpty)
            throw new CommitteeException(new(CommitteeError.NoCandidates),
                $"the directory has no buddy-eligible validator besides the sequencer {sequencerIndex} to draw");
        return new CommitteeSeats(directory, size, sequencerIndex, height, parentHash, proof, beta, candidates);
    }

    /// <summary>
    /// Any node's derivation of the seats from the sequencer's π: verifies π under the sequencer's validator key for
    /// α, then draws exactly as the sequencer did.
    /// </summary>
    public static bool TryDerive(
        ValidatorDirectory directory, CommitteeSize size, int sequencerIndex, ulong chainId, ulong height,
        in Hash32 parentHash, in VrfProofBytes proof,
        [NotNullWhen(true)] out CommitteeSeats? seats, out CommitteeRefusal refusal)
    {
        seats = null;
        if (chainId != directory.ChainId)
        {
            refusal = new(CommitteeError.WrongChain);
            return false;
        }
        if ((uint)sequencerIndex >= (uint)directory.Count)
        {
            refusal = new(CommitteeError.UnknownSequencer, sequencerIndex);
            return false;
        }

        Span<byte> alpha = stackalloc byte[CommitteeAlpha.Length];
        CommitteeAlpha.Write(chainId, height, parentHash, alpha);
        var beta = default(Hash32);
        if (!EcVrf.Verify(directory[sequencerIndex].PublicKey.Compressed, alpha, proof.AsReadOnlySpan(), beta))
        {
            refusal = new(CommitteeError.BadProof, sequencerIndex);
            return false;
        }

        var candidates = Sample(directory, size, sequencerIndex, beta);
        if (candidates.IsEmpty)
        {
            refusal = new(CommitteeError.NoCandidates);
            return false;
        }
        refusal = CommitteeRefusal.None;
        seats = new CommitteeSeats(directory, size, sequencerIndex, height, parentHash, proof, beta, candidates);
        return true;
    }

    /// <summary>
    /// These seats over <paramref name="directory"/>, an instance equal to <see cref="Directory"/> (same hash): what
    /// <see cref="TryDerive"/> over it would give, without deriving again (see <see cref="CommitteeCache"/>).
    /// </summary>
    internal CommitteeSeats Over(ValidatorDirectory directory)
    {
        Debug.Assert(directory.Hash == Directory.Hash, "seats move only between equal directories");
        return ReferenceEquals(directory, Directory)
            ? this
            : new CommitteeSeats(directory, Size, SequencerIndex, Height, ParentHash, Proof, Beta, Candidates);
    }

    /// <summary>The committee of round <paramref name="round"/> when no member has declined.</summary>
    /// <exception cref="ArgumentException">The round is not at these seats' chain and height.</exception>
    public EffectiveCommittee WithoutDeclines(in RoundId round, ulong deadline)
    {
        RequireOwnHeight(round);
        var applied = TryReplace(round, deadline, [], out var committee, out _);
        Debug.Assert(applied, "no decline can be refused");
        return committee!;
    }

    /// <summary>
    /// The sequencer's side of replacement (DESIGN §3 step 2): the committee of round <paramref name="round"/> once the
    /// members behind <paramref name="declines"/> are replaced. Each must be a signed decline by a drawn candidate of
    /// the invitation these seats imply for it in this round with this deadline; see
    /// <see cref="EffectiveCommittee"/> for how replacements consume the backups.
    /// </summary>
    /// <exception cref="ArgumentException">The round is not at these seats' chain and height.</exception>
    public bool TryApplyDeclines(
        in RoundId round, ulong deadline, ReadOnlySpan<InvitationReply> declines,
        [NotNullWhen(true)] out EffectiveCommittee? committee, out CommitteeRefusal refusal)
    {
        RequireOwnHeight(round);
        committee = null;
        var signed = new SignedDecline[declines.Length];
        for (var i = 0; i < declines.Length; i++)
        {
            ref readonly var reply = ref declines[i];
            var buddy = (int)Math.Min(reply.BuddyIndex, int.MaxValue);
            refusal = CheckReplyFields(reply, round, buddy);
            if (!refusal.IsNone)
                return false;
            signed[i] = reply.ToSignedDecline();
            refusal = CheckDeclineSignature(round, deadline, signed[i], requireInvitationDigest: reply.InvitationDigest);
            if (!refusal.IsNone)
                return false;
        }
        return TryReplace(round, deadline, signed, out committee, out refusal);
    }

    /// <summary>
    /// The verifier's side: the committee a <see cref="CommitteeProof"/>'s declines give these seats. Each decline's
    /// signature is checked over the invitation reply digest the proof implies.
    /// </summary>
    internal bool TryApplyProofDeclines(
        in RoundId round, in CommitteeProof proof,
        [NotNullWhen(true)] out EffectiveCommittee? committee, out CommitteeRefusal refusal)
    {
        committee = null;
        var declines = proof.Declines;
        for (var i = 0; i < declines.Length; i++)
        {
            var buddy = (int)Math.Min(declines[i].BuddyIndex, int.MaxValue);
            if (PositionOf(buddy) < 0)
            {
                refusal = new(CommitteeError.DeclineFromNonCandidate, buddy);
                return false;
            }
            refusal = CheckDeclineSignature(round, proof.Deadline, declines[i], requireInvitationDigest: null);
            if (!refusal.IsNone)
                return false;
        }
        return TryReplace(round, proof.Deadline, declines.ToArray(), out committee, out refusal);
    }

    private CommitteeRefusal CheckReplyFields(in InvitationReply reply, in RoundId round, int buddy)
    {
        if (!reply.Validate().IsOk)
            return new(CommitteeError.MalformedDecline, buddy);
        if (reply.Answer != InvitationAnswer.Decline)
            return new(CommitteeError.NotADecline, buddy);
        if (reply.Round != round)
            return new(CommitteeError.DeclineForAnotherRound, buddy);
        if (reply.DirectoryHash != Directory.Hash)
            return new(CommitteeError.DeclineForAnotherDirectory, buddy);
        if (PositionOf(buddy) < 0)
            return new(CommitteeError.DeclineFromNonCandidate, buddy);
        return CommitteeRefusal.None;
    }

    /// <summary>
    /// Checks a decline's signature over the reply digest of the invitation these seats imply for its buddy in
    /// <paramref name="round"/> with <paramref name="deadline"/>. A reply carries the invitation digest it answers;
    /// when it is given, it must be that invitation's (else the decline answered some other invitation).
    /// </summary>
    private CommitteeRefusal CheckDeclineSignature(in RoundId round, ulong deadline, in SignedDecline decline, Hash32? requireInvitationDigest)
    {
        var buddy = (int)decline.BuddyIndex;
        var directoryHash = Directory.Hash;
        var invitationDigest = default(Hash32);
        Invitation.ComputeSigningDigest(
            round, directoryHash, ParentHash, (uint)SequencerIndex, decline.BuddyIndex, Proof, deadline, invitationDigest);
        if (requireInvitationDigest is { } answered && answered != invitationDigest)
            return new(CommitteeError.DeclineForAnotherInvitation, buddy);
        var replyDigest = default(Hash32);
        InvitationReply.ComputeSigningDigest(
            round, directoryHash, invitationDigest, decline.BuddyIndex, InvitationAnswer.Decline, decline.Reason, replyDigest);
        return Directory[buddy].SchnorrKey.Verify(replyDigest, decline.Signature)
            ? CommitteeRefusal.None
            : new(CommitteeError.BadDeclineSignature, buddy);
    }

    /// <summary>The structural rules of replacement, over declines whose signatures are already checked.</summary>
    private bool TryReplace(
        in RoundId round, ulong deadline, SignedDecline[] declines,
        [NotNullWhen(true)] out EffectiveCommittee? committee, out CommitteeRefusal refusal)
    {
        committee = null;
        Array.Sort(declines, static (a, b) => a.BuddyIndex.CompareTo(b.BuddyIndex));
        Span<bool> declined = stackalloc bool[WireLimits.MaxCommitteeCandidates];
        for (var i = 0; i < declines.Length; i++)
        {
            var buddy = (int)declines[i].BuddyIndex;
            if (i > 0 && declines[i - 1].BuddyIndex == declines[i].BuddyIndex)
            {
                refusal = new(CommitteeError.DuplicateDecline, buddy);
                return false;
            }
            declined[PositionOf(buddy)] = true;
        }

        // Slot by slot, a declined main is replaced by the next backup in order; a backup that declined too is passed
        // over for the one after it. `nextBackup` ends one past the last backup any replacement reached.
        var members = ImmutableArray.CreateBuilder<CommitteeMember>(MainCount);
        var nextBackup = MainCount;
        for (var slot = 0; slot < MainCount; slot++)
        {
            var position = slot;
            while (declined[position])
            {
                if (nextBackup == Candidates.Length)
                {
                    refusal = new(CommitteeError.NotEnoughBackups, Candidates[position]);
                    return false;
                }
                position = nextBackup++;
            }
            members.Add(new CommitteeMember(position, Directory[Candidates[position]]));
        }
        for (var position = nextBackup; position < Candidates.Length; position++)
        {
            // Never reached, so never invited: a decline from it cannot be genuine to this round's replacements.
            if (declined[position])
            {
                refusal = new(CommitteeError.DeclineNotNeeded, Candidates[position]);
                return false;
            }
        }

        refusal = CommitteeRefusal.None;
        committee = new EffectiveCommittee(this, round, deadline, [.. declines], members.MoveToImmutable(), nextBackup);
        return true;
    }

    private void RequireOwnHeight(in RoundId round)
    {
        if (round.ChainId != ChainId || round.Height != Height)
            throw new ArgumentException(
                $"round {round} is not at these seats' chain {ChainId} height {Height}", nameof(round));
    }

    internal ImmutableArray<ValidatorInfo> ValidatorsAt(int start, int count)
    {
        var validators = ImmutableArray.CreateBuilder<ValidatorInfo>(count);
        for (var position = start; position < start + count; position++)
            validators.Add(Directory[Candidates[position]]);
        return validators.MoveToImmutable();
    }

    private static ImmutableArray<int> Sample(ValidatorDirectory directory, CommitteeSize size, int sequencerIndex, in Hash32 beta)
    {
        var candidates = ArrayPool<WeightedCandidate>.Shared.Rent(directory.Count);
        try
        {
            var count = 0;
            foreach (var validator in directory.Validators)
            {
                // Voter-only validators are not skipped by weight 0 (their weight counts in every vote tally): they
                // are left out of the candidate list, exactly as the sequencer is.
                if (validator.Index != sequencerIndex && validator.IsBuddyEligible)
                    candidates[count++] = new WeightedCandidate(validator.Index, validator.Weight);
            }
            return [.. CommitteeSampler.Select(beta.AsReadOnlySpan(), candidates.AsSpan(0, count), size.Candidates)];
        }
        finally
        {
            ArrayPool<WeightedCandidate>.Shared.Return(candidates);
        }
    }

    public override string ToString() =>
        $"committee seats of chain {ChainId} height {Height} (sequencer {SequencerIndex}): [{string.Join(", ", Candidates)}], {MainCount} main";
}
