namespace Sequencer.Core.Consensus;

/// <summary>
/// Why the node dropped an inbound message or response. Every drop is counted by reason (<see cref="Router.GetDropCount"/>)
/// and reported to the observer; none of them throws. Bad input from any peer ends here.
/// </summary>
public enum DropReason
{
    /// <summary>The bytes did not decode as the message their header names (or as any message).</summary>
    Malformed,

    /// <summary>A well-formed message of a type that has no business on this protocol or topic.</summary>
    UnexpectedMessage,

    /// <summary>The sender is not a validator of the directory (the transport could not map it to an index).</summary>
    NotAValidator,

    /// <summary>The message names a round this node does not run (and never finished).</summary>
    UnknownRound,

    /// <summary>The message names a round this node has already finished.</summary>
    FinishedRound,

    /// <summary>The message is for another chain than the directory's.</summary>
    WrongChain,

    /// <summary>The message binds another directory than the round's.</summary>
    WrongDirectory,

    /// <summary>A self-declared index in the message is not the authenticated sender's.</summary>
    SenderMismatch,

    /// <summary>The sender is neither on the round's committee nor its sequencer, or not the one this message must come from.</summary>
    NotInCommittee,

    /// <summary>A signature did not verify under its signer's key.</summary>
    BadSignature,

    /// <summary>The committee proof did not verify (π, a decline, or the replacement rule).</summary>
    BadCommitteeProof,

    /// <summary>The deadline has passed, or lies further ahead than any honest round's.</summary>
    DeadlineOutOfRange,

    /// <summary>A second, different proposal or committee for a round that already has one (a faulty sequencer).</summary>
    ConflictingProposal,

    /// <summary>An invitation this node could not verify: it gets no answer (not even a decline).</summary>
    InvitationRefused,

    /// <summary>A response or failure for a request this node is not waiting for (late, duplicated, or never sent).</summary>
    UnknownRequest,

    /// <summary>A response that does not answer the request it came back for.</summary>
    BadResponse,

    /// <summary>A certificate that failed verification (quorum, signers, signatures).</summary>
    InvalidCertificate,

    /// <summary>A message arrived that this node already holds (duplicate delivery).</summary>
    Duplicate,
}
