using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Safety;

/// <summary>
/// The only path by which a vote or an attestation gets signed (the Aptos consensus safety-rules pattern): it holds
/// the node's <see cref="IValidatorSigner"/> for these statements, checks every request against the durable record
/// of what was already signed, and records each new statement before its signature leaves.
/// </summary>
/// <remarks>
/// <para><b>S1 — one vote per (chainId, height).</b> A voter signs at most one vote per chain and height, across
/// crashes and restarts. The identical vote (same digest: same block, decision, directory, index) may be asked for
/// again — a retry after fail-over, or after a restart — and gets its stored signature back, byte for byte; a
/// different vote gets <see cref="SafetyViolation.AlreadyVoted"/>. DESIGN §3's safety argument rests on this:
/// two Accept certificates at one height would need more than W/3 of weight to vote twice.</para>
/// <para><b>S2 — one attestation per (chainId, height).</b> The same for a buddy's attestation
/// (<see cref="SafetyViolation.AlreadyAttested"/>): two certificates of different values would need an honest
/// buddy in both quorums to attest twice.</para>
/// <para><b>S3 — durable before returned.</b> The record (block, value, digest, signature) is durable in the
/// <see cref="ISafetyStore"/> before the signature is written into the caller's message. A crash before that point
/// loses a signature nobody has seen; a crash after it leaves a record that S1/S2 honour on restart.</para>
/// <para><b>S4 — nothing below the tracked window.</b> A height below the store's window for that chain may have been
/// signed and pruned, so it is refused (<see cref="SafetyViolation.HeightNoLongerTracked"/>), never treated as
/// unsigned.</para>
/// <para><b>S5 — no signing on doubt.</b> When a save fails, the store no longer knows what the disk holds; every
/// request is refused (<see cref="SafetyViolation.StoreUnavailable"/>) until the store is reopened.</para>
/// <para>What is signed is exactly the wire codec's signing digest (<see cref="Vote.ComputeSigningDigest(Span{byte})"/>,
/// <see cref="Attestation.ComputeSigningDigest(Span{byte})"/>) of the message the caller hands in, with the signer's
/// own index filled in here, so no caller can sign under another index or get a signature over other bytes than the
/// message it then sends.</para>
/// <para>Not thread-safe: one node's event loop owns it (ENGINE §1), and the store write is the loop's one
/// synchronous call, so "persisted before the signature leaves" is just program order.</para>
/// </remarks>
public sealed class SafetyRules
{
    private readonly ISafetyStore _store;
    private readonly IValidatorSigner _signer;

    public SafetyRules(ISafetyStore store, IValidatorSigner signer)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signer);
        _store = store;
        _signer = signer;
    }

    /// <summary>The index every statement signed here binds.</summary>
    public int ValidatorIndex => _signer.ValidatorIndex;

    /// <summary>
    /// Signs <paramref name="vote"/> under rules S1, S3–S5: sets its <see cref="Vote.VoterIndex"/> to this
    /// validator's and, when signed, its <see cref="Vote.Signature"/> (cleared on refusal). The round, directory
    /// hash and decision are the caller's.
    /// </summary>
    /// <exception cref="ArgumentException">The vote fails <see cref="Vote.Validate"/> (a caller bug, not a refusal).</exception>
    public SigningResult SignVote(ref Vote vote)
    {
        vote.VoterIndex = (uint)_signer.ValidatorIndex;
        vote.Signature = default;
        var validation = vote.Validate();
        if (!validation.IsOk)
            throw new ArgumentException($"the vote cannot be signed: {validation}", nameof(vote));
        Hash32 digest = default;
        vote.ComputeSigningDigest(digest);
        return Sign(SafetyRecordKind.Vote, vote.Round, vote.Decision, digest, ref vote.Signature);
    }

    /// <summary>
    /// Signs <paramref name="attestation"/> under rules S2–S5: sets its <see cref="Attestation.AttesterIndex"/> to
    /// this validator's and, when signed, its <see cref="Attestation.Signature"/> (cleared on refusal).
    /// </summary>
    /// <exception cref="ArgumentException">The attestation fails <see cref="Attestation.Validate"/> (a caller bug, not a refusal).</exception>
    public SigningResult SignAttestation(ref Attestation attestation)
    {
        attestation.AttesterIndex = (uint)_signer.ValidatorIndex;
        attestation.Signature = default;
        var validation = attestation.Validate();
        if (!validation.IsOk)
            throw new ArgumentException($"the attestation cannot be signed: {validation}", nameof(attestation));
        Hash32 digest = default;
        attestation.ComputeSigningDigest(digest);
        return Sign(SafetyRecordKind.Attestation, attestation.Round, attestation.Value, digest, ref attestation.Signature);
    }

    private SigningResult Sign(SafetyRecordKind kind, in RoundId round, Decision value, in Hash32 digest,
        ref SchnorrSignature signature)
    {
        var (chainId, height) = (round.ChainId, round.Height);
        SafetyLookup lookup;
        try
        {
            lookup = _store.Find(kind, chainId, height);
        }
        catch (IOException e)
        {
            return SigningResult.Refused(new SafetyViolation.StoreUnavailable(kind, chainId, height, e.Message));
        }

        switch (lookup.Status)
        {
            case SafetyLookupStatus.BelowTrackedHeights:
                return SigningResult.Refused(
                    new SafetyViolation.HeightNoLongerTracked(kind, chainId, height, lookup.LowestTrackedHeight));
            case SafetyLookupStatus.Found:
                var existing = lookup.Record;
                // The digest covers every signed field, so equal digests mean the identical statement, whose
                // signature S1/S2 allow handing out again; block and value are compared too, so that even a digest
                // collision could never turn a conflicting request into a resend.
                if (existing.Digest == digest && existing.BlockHash == round.BlockHash && existing.Value == value)
                {
                    signature = existing.Signature;
                    return SigningResult.Resent;
                }
                return SigningResult.Refused(kind == SafetyRecordKind.Vote
                    ? new SafetyViolation.AlreadyVoted(chainId, height, existing.BlockHash, existing.Value, round.BlockHash, value)
                    : new SafetyViolation.AlreadyAttested(chainId, height, existing.BlockHash, existing.Value, round.BlockHash, value));
        }

        var record = new SafetyRecord { ChainId = chainId, Height = height, BlockHash = round.BlockHash, Value = value, Digest = digest };
        _signer.Sign(digest, record.Signature);
        try
        {
            _store.Save(kind, record);
        }
        catch (IOException e)
        {
            return SigningResult.Refused(new SafetyViolation.StoreUnavailable(kind, chainId, height, e.Message));
        }
        // S3: only now, with the record durable, does the signature reach the caller's message.
        signature = record.Signature;
        return SigningResult.Signed;
    }
}
