using Sequencer.Core.Ports;

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
/// <see cref="ISafetyStore"/> before the signature is written to the caller's buffer. A crash before that point
/// loses a signature nobody has seen; a crash after it leaves a record that S1/S2 honour on restart.</para>
/// <para><b>S4 — nothing below the tracked window.</b> A height below the store's window for that chain may have been
/// signed and pruned, so it is refused (<see cref="SafetyViolation.HeightNoLongerTracked"/>), never treated as
/// unsigned.</para>
/// <para><b>S5 — no signing on doubt.</b> When a save fails, the store no longer knows what the disk holds; every
/// request is refused (<see cref="SafetyViolation.StoreUnavailable"/>) until the store is reopened.</para>
/// <para>Not thread-safe: one node's event loop owns it (ENGINE §1), and the store write is the loop's one
/// synchronous call, so "persisted before the signature leaves" is just program order.</para>
/// </remarks>
public sealed class SafetyRules
{
    private readonly ISafetyStore _store;
    private readonly IValidatorSigner _signer;
    private readonly VoteDigestFunction _voteDigest;
    private readonly AttestationDigestFunction _attestationDigest;

    public SafetyRules(ISafetyStore store, IValidatorSigner signer,
        VoteDigestFunction voteDigest, AttestationDigestFunction attestationDigest)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(voteDigest);
        ArgumentNullException.ThrowIfNull(attestationDigest);
        _store = store;
        _signer = signer;
        _voteDigest = voteDigest;
        _attestationDigest = attestationDigest;
    }

    /// <summary>The index every statement signed here binds.</summary>
    public int ValidatorIndex => _signer.ValidatorIndex;

    /// <summary>
    /// Signs <paramref name="vote"/> under rules S1, S3–S5, writing the 64-byte signature to
    /// <paramref name="signature"/> (cleared on refusal).
    /// </summary>
    /// <exception cref="ArgumentException">The decision is undefined or the buffer is not 64 bytes (caller bugs, not refusals).</exception>
    public SigningResult SignVote(in VoteToSign vote, Span<byte> signature)
    {
        RequireDefined(vote.Decision, nameof(vote));
        Hash32 digest = default;
        _voteDigest(vote, _signer.ValidatorIndex, digest);
        return Sign(SafetyRecordKind.Vote, vote.ChainId, vote.Height, vote.BlockHash, vote.Decision, digest, signature);
    }

    /// <summary>
    /// Signs <paramref name="attestation"/> under rules S2–S5, writing the 64-byte signature to
    /// <paramref name="signature"/> (cleared on refusal).
    /// </summary>
    /// <exception cref="ArgumentException">The value is undefined or the buffer is not 64 bytes (caller bugs, not refusals).</exception>
    public SigningResult SignAttestation(in AttestationToSign attestation, Span<byte> signature)
    {
        RequireDefined(attestation.Value, nameof(attestation));
        Hash32 digest = default;
        _attestationDigest(attestation, _signer.ValidatorIndex, digest);
        return Sign(SafetyRecordKind.Attestation, attestation.ChainId, attestation.Height, attestation.BlockHash,
            attestation.Value, digest, signature);
    }

    private SigningResult Sign(SafetyRecordKind kind, ulong chainId, ulong height, in Hash32 blockHash, Decision value,
        in Hash32 digest, Span<byte> signature)
    {
        ArgumentOutOfRangeException.ThrowIfNotEqual(signature.Length, SchnorrSignature.Length, nameof(signature));
        signature.Clear();
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
                // The digest covers every signed field, so equal digests mean the identical statement (S1/S2 allow
                // handing its signature out again); block and value are compared too so that a digest function
                // that ignored them could never turn a conflicting request into a resend.
                if (existing.Digest == digest && existing.BlockHash == blockHash && existing.Value == value)
                {
                    existing.Signature.AsReadOnlySpan().CopyTo(signature);
                    return SigningResult.Resent;
                }
                return SigningResult.Refused(kind == SafetyRecordKind.Vote
                    ? new SafetyViolation.AlreadyVoted(chainId, height, existing.BlockHash, existing.Value, blockHash, value)
                    : new SafetyViolation.AlreadyAttested(chainId, height, existing.BlockHash, existing.Value, blockHash, value));
        }

        var record = new SafetyRecord { ChainId = chainId, Height = height, BlockHash = blockHash, Value = value, Digest = digest };
        _signer.Sign(digest.AsReadOnlySpan(), record.Signature);
        try
        {
            _store.Save(kind, record);
        }
        catch (IOException e)
        {
            return SigningResult.Refused(new SafetyViolation.StoreUnavailable(kind, chainId, height, e.Message));
        }
        // S3: only now, with the record durable, does the signature reach the caller.
        record.Signature.AsReadOnlySpan().CopyTo(signature);
        return SigningResult.Signed;
    }

    private static void RequireDefined(Decision value, string parameter)
    {
        if (value is not (Decision.Accept or Decision.Reject))
            throw new ArgumentException($"decision {(byte)value} is neither accept (1) nor reject (2)", parameter);
    }
}
