using Sequencer.Core.Consensus;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Ports;

/// <summary>
/// What a node reports as it works: the metrics of issue 5 and the simulation's checkers listen here. Every call is made
/// on the node's loop; an implementation must return quickly and must not call back into the node. Every method has an
/// empty default, so a listener implements only what it needs.
/// </summary>
public interface IConsensusObserver
{
    /// <summary>This node took a role in a round (called once per role).</summary>
    void OnRoleStarted(RoundId round, RoundRoles role) { }

    /// <summary>The sequencer's outcome of a round it started (exactly once per started round).</summary>
    void OnRoundOutcome(RoundOutcome outcome) { }

    /// <summary>A verified certificate was appended to this node's decision log (once per round and value).</summary>
    void OnCertificateLogged(RoundId round, Decision value, ReadOnlySpan<byte> certificate) { }

    /// <summary>The decision log refused an append (an I/O failure): the node keeps running but its log is faulted.</summary>
    void OnDecisionLogFailed(RoundId round, IOException error) { }

    /// <summary>An inbound message or response was dropped.</summary>
    void OnMessageDropped(DropReason reason, int fromValidator) { }

    /// <summary>
    /// Votes whose signatures this node verified and recorded (a voter's second, conflicting vote counts too: it was
    /// verified before it became evidence), from a direct stream, this node itself, or another member's delta.
    /// </summary>
    void OnVotesVerified(RoundId round, int count) { }

    /// <summary>A buddy refused a vote (its acknowledgement status says why: bad signature, unknown voter, …).</summary>
    void OnVoteRefused(RoundId round, VoteAckStatus status, int voterIndex) { }

    /// <summary>This node's vote left for a buddy (after its durable record was written).</summary>
    void OnVoteSent(RoundId round, Decision decision, int buddyIndex) { }

    /// <summary>A buddy acknowledged this node's vote.</summary>
    void OnVoteAcknowledged(RoundId round, VoteAckStatus status, int buddyIndex) { }

    /// <summary>This node published its attestation (after its durable record was written).</summary>
    void OnAttested(RoundId round, Decision value) { }

    /// <summary><see cref="SafetyRules"/> refused to sign a vote or an attestation: not a crash, the node goes on without it.</summary>
    void OnSigningRefused(RoundId round, SafetyViolation violation) { }

    /// <summary>The local block validator failed; this node does not vote in that round.</summary>
    void OnBlockValidationFailed(RoundId round, Exception error) { }
}
