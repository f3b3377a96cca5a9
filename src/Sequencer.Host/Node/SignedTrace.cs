using System.Buffers;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Host.Node;

/// <summary>
/// The <c>--trace-signed</c> trace: every vote and attestation this node signs (seen leaving it) and every one it
/// receives or relays whose signature verifies against the directory (a direct vote, the votes of a CRDT delta — which
/// is how a buddy's own vote, recorded without a request, becomes visible — an attestation on a round topic), reported
/// as a <see cref="SignedStatement"/>. A test network's double-signing scan reads these from every node; unverified
/// statements are never reported, so a forger cannot frame an honest validator.
/// </summary>
/// <remarks>
/// <para>Off the hot path by design: only a node started with the flag pays the extra decode and verification.</para>
/// <para>Each statement is reported once per node: a vote reaches a buddy directly and again in every member's delta,
/// and the scan needs only the distinct (kind, signer, digest). Remembering what was reported spares the repeated
/// signature checks (which otherwise doubled a traced node's verification work) and the repeated lines the cluster
/// parses. The memory is bounded: when full it starts over, which at worst reports a statement again.</para>
/// </remarks>
internal sealed class SignedTrace(ValidatorDirectory directory, IValidatorNodeListener listener)
{
    /// <summary>Statements remembered before the memory starts over (some thousands of rounds of a 24-node network).</summary>
    private const int RememberedStatements = 1 << 16;

    private readonly HashSet<(SignedKind Kind, uint Signer, Hash32 Digest)> _reported = [];
    private readonly Lock _gate = new();

    /// <summary>A payload this node sends or publishes: its own statements (the signer is this node, trusted).</summary>
    public void Outbound(ReadOnlySpan<byte> payload) => Trace(payload, verify: false);

    /// <summary>A payload this node received: reported only when its signature verifies.</summary>
    public void Inbound(ReadOnlySpan<byte> payload) => Trace(payload, verify: true);

    private void Trace(ReadOnlySpan<byte> payload, bool verify)
    {
        if (!WireHeader.TryPeek(payload, out var type).IsOk
            || type is not (WireMessageType.Vote or WireMessageType.Attestation or WireMessageType.VoteSetDelta))
            return;
        var input = new ReadOnlySequence<byte>(payload.ToArray());
        var digest = default(Hash32);
        if (type == WireMessageType.VoteSetDelta)
        {
            // A delta carries other voters' signatures even when this node sends it: always verified.
            if (!VoteSetDelta.TryDecode(input, out var delta).IsOk)
                return;
            foreach (var entry in delta)
            {
                Vote.ComputeSigningDigest(delta.Round, delta.DirectoryHash, entry.VoterIndex, entry.Decision, digest);
                if (IsNew(SignedKind.Vote, entry.VoterIndex, digest) && Verifies(entry.VoterIndex, digest, entry.Signature))
                    Report(new SignedStatement(SignedKind.Vote, (int)entry.VoterIndex, delta.Round.Height, delta.Round.BlockHash, entry.Decision, digest));
            }
            return;
        }
        if (type == WireMessageType.Vote)
        {
            if (!Vote.TryDecode(input, out var vote).IsOk)
                return;
            vote.ComputeSigningDigest(digest);
            if (IsNew(SignedKind.Vote, vote.VoterIndex, digest) && (!verify || Verifies(vote.VoterIndex, digest, vote.Signature)))
                Report(new SignedStatement(SignedKind.Vote, (int)vote.VoterIndex, vote.Round.Height, vote.Round.BlockHash, vote.Decision, digest));
            return;
        }
        if (!Attestation.TryDecode(input, out var attestation).IsOk)
            return;
        attestation.ComputeSigningDigest(digest);
        if (IsNew(SignedKind.Attestation, attestation.AttesterIndex, digest) && (!verify || Verifies(attestation.AttesterIndex, digest, attestation.Signature)))
        {
            Report(new SignedStatement(SignedKind.Attestation, (int)attestation.AttesterIndex, attestation.Round.Height,
                attestation.Round.BlockHash, attestation.Value, digest));
        }
    }

    private bool IsNew(SignedKind kind, uint signer, in Hash32 digest)
    {
        lock (_gate)
            return !_reported.Contains((kind, signer, digest));
    }

    /// <summary>Reports a statement (verified, or this node's own) and remembers it.</summary>
    private void Report(SignedStatement statement)
    {
        lock (_gate)
        {
            if (_reported.Count >= RememberedStatements)
                _reported.Clear();
            if (!_reported.Add((statement.Kind, (uint)statement.Signer, statement.Digest)))
                return;
        }
        listener.OnSigned(statement);
    }

    private bool Verifies(uint signer, in Hash32 digest, in SchnorrSignature signature) =>
        directory.TryGet(signer, out var validator) && validator.SchnorrKey.Verify(digest, signature);
}
