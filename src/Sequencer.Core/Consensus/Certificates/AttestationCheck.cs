namespace Sequencer.Core.Consensus.Certificates;

/// <summary>What an <see cref="AttestationCollector"/> made of one attestation.</summary>
internal enum AttestationCheck
{
    /// <summary>Verified and added; no certificate yet.</summary>
    Added,

    /// <summary>Verified and added, and it completed a quorum: the certificate is built.</summary>
    CertificateBuilt,

    /// <summary>Already held (same member, same value).</summary>
    Duplicate,

    /// <summary>Another round or directory.</summary>
    WrongRound,

    /// <summary>Bound to another committee digest: attestations under different committee proofs never combine.</summary>
    WrongCommittee,

    /// <summary>The attester does not serve on the committee, or is not the authenticated sender.</summary>
    NotInCommittee,

    /// <summary>The signature does not verify under the attester's key.</summary>
    BadSignature,
}
