namespace Sequencer.Net.PubSub.Signing;

/// <summary>The outcome of <see cref="IPubSubSignatureVerifier.Verify"/>.</summary>
public enum SignatureCheck
{
    Valid,
    /// <summary><c>from</c> is not a peer id.</summary>
    InvalidPeerId,
    /// <summary>The key field is not a supported public key, or none was sent and the peer id does not inline one.</summary>
    InvalidKey,
    /// <summary>The key is valid but belongs to another peer than <c>from</c>.</summary>
    KeyMismatch,
    /// <summary>The signature does not verify.</summary>
    InvalidSignature,
}
