using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Committee;

/// <summary>
/// The committee that serves one round: the VRF's draw (<see cref="Seats"/>) after the replacements its signed
/// declines justify (DESIGN §3 step 2). Immutable and safe to read from any thread (topic validators do).
/// </summary>
/// <remarks>
/// <para>Replacement rule. Slots are the main positions 0 … m−1 in order. A slot whose main declined takes the next
/// backup in draw order; a backup that declined too is passed over for the one after it. A member that merely did not
/// answer keeps its slot: only the member's own signature can remove it, so a faulty sequencer cannot steer the
/// committee by claiming silence. Refused: an unsigned or forged decline, one from a validator not drawn, one for
/// another round, directory or invitation, two from one buddy, one from a backup no replacement reached (it was
/// never invited), and declines that would need more backups than were drawn — a sequencer facing more declines than
/// backups leaves the surplus out, and those members stay as if silent.</para>
/// <para>Everything here follows from the directory and a <see cref="CommitteeProof"/> (π plus the declines), so any
/// node re-derives the same committee with <see cref="TryVerify"/>; <see cref="Digest"/> is the committee digest every
/// attestation binds.</para>
/// </remarks>
public sealed class EffectiveCommittee
{
    private readonly int _firstUnusedBackup;

    internal EffectiveCommittee(
        CommitteeSeats seats, in RoundId round, ulong deadline, ImmutableArray<SignedDecline> declines,
        ImmutableArray<CommitteeMember> members, int firstUnusedBackup)
    {
        Seats = seats;
        Round = round;
        Deadline = deadline;
        Declines = declines;
        Members = members;
        _firstUnusedBackup = firstUnusedBackup;
        foreach (var member in members)
            MemberPositions |= 1u << member.Position;
        var proof = ToProof();
        var digest = default(Hash32);
        proof.ComputeDigest(round, seats.Directory.Hash, digest);
        Digest = digest;
    }

    public CommitteeSeats Seats { get; }

    public ValidatorDirectory Directory => Seats.Directory;

    public RoundId Round { get; }

    /// <summary>The round's deadline (unix ms) that the invitations carried and every decline is bound to.</summary>
    public ulong Deadline { get; }

    /// <summary>The declines that justify the replacements, ascending by buddy index (as a proof carries them).</summary>
    public ImmutableArray<SignedDecline> Declines { get; }

    /// <summary>The serving members in slot order: what votes are routed over (<c>committee[H(voterId) mod n]</c>).</summary>
    public ImmutableArray<CommitteeMember> Members { get; }

    /// <summary><c>n</c>, the committee size of the certificate rule (<see cref="Consensus.QuorumRules.IsCertificateQuorum"/>).</summary>
    public int Count => Members.Length;

    /// <summary>Bit p set: the member at draw position p serves. A certificate's signer bitmap must lie within it.</summary>
    public uint MemberPositions { get; }

    /// <summary>The committee digest every attestation of this round binds (<see cref="CommitteeProof.ComputeDigest"/>).</summary>
    public Hash32 Digest { get; }

    /// <summary>The serving members as main peers, and the backups no replacement has used yet, in order.</summary>
    public PeerList PeerList
    {
        get
        {
            var main = ImmutableArray.CreateBuilder<ValidatorInfo>(Members.Length);
            foreach (var member in Members)
                main.Add(member.Validator);
            return new PeerList(main.MoveToImmutable(), Seats.ValidatorsAt(_firstUnusedBackup, Seats.Candidates.Length - _firstUnusedBackup));
        }
    }

    public bool Contains(int validatorIndex) => TryGetPosition(validatorIndex, out _);

    /// <summary>The draw position of a serving member, or false when <paramref name="validatorIndex"/> does not serve.</summary>
    public bool TryGetPosition(int validatorIndex, out int position)
    {
        foreach (var member in Members)
        {
            if (member.ValidatorIndex == validatorIndex)
            {
                position = member.Position;
                return true;
            }
        }
        position = -1;
        return false;
    }

    /// <summary>The serving member at draw position <paramref name="position"/>, or false when that position does not serve.</summary>
    public bool TryGetMemberAt(int position, [NotNullWhen(true)] out ValidatorInfo? validator)
    {
        validator = (uint)position < WireLimits.MaxCommitteeCandidates && (MemberPositions & (1u << position)) != 0
            ? Directory[Seats.Candidates[position]]
            : null;
        return validator is not null;
    }

    /// <summary>What a proposal and a certificate carry so that any node re-derives this committee.</summary>
    public CommitteeProof ToProof()
    {
        var proof = new CommitteeProof
        {
            SequencerIndex = (uint)Seats.SequencerIndex,
            ParentHash = Seats.ParentHash,
            Proof = Seats.Proof,
            Deadline = Deadline,
        };
        foreach (var decline in Declines)
            proof.AddDecline(decline);
        return proof;
    }

    /// <summary>
    /// Any node's check of a committee proof received in a proposal or certificate for <paramref name="round"/> that
    /// binds <paramref name="directoryHash"/>: verifies π, re-derives the draw, verifies every decline's signature and
    /// applies the replacement rule.
    /// </summary>
    /// <param name="cache">Where the draw is looked up and kept (<see cref="CommitteeCache"/>); null derives it here.</param>
    public static bool TryVerify(
        ValidatorDirectory directory, CommitteeSize size, in RoundId round, in Hash32 directoryHash, in CommitteeProof proof,
        [NotNullWhen(true)] out EffectiveCommittee? committee, out CommitteeRefusal refusal, CommitteeCache? cache = null)
    {
        committee = null;
        if (directoryHash != directory.Hash)
        {
            refusal = new(CommitteeError.WrongDirectory);
            return false;
        }
        if (!proof.Validate().IsOk)
        {
            refusal = new(CommitteeError.MalformedProof);
            return false;
        }
        // Validate() bounds the index by WireLimits.MaxValidators, so it fits an int.
        if (!CommitteeCache.TryDerive(cache, directory, size, (int)proof.SequencerIndex, round.ChainId, round.Height,
                proof.ParentHash, proof.Proof, out var seats, out refusal))
            return false;
        return seats.TryApplyProofDeclines(round, proof, out committee, out refusal);
    }

    public override string ToString() =>
        $"committee of {Round}: [{string.Join(", ", Members.Select(m => m.ValidatorIndex))}] ({Declines.Length} declines)";
}
