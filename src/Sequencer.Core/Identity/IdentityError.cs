namespace Sequencer.Core.Identity;

/// <summary>Why a libp2p key protobuf (PublicKey or PrivateKey) was refused.</summary>
public enum IdentityError
{
    None,
    /// <summary>The input ends inside a field.</summary>
    Truncated,
    /// <summary>Not protobuf: an over-long varint, an invalid tag, or a field of the wrong wire type.</summary>
    MalformedProtobuf,
    /// <summary>The <c>Type</c> or the <c>Data</c> field is absent (both are required).</summary>
    MissingField,
    /// <summary>A field other than the next expected one: out of order, repeated or unknown (the spec allows none).</summary>
    UnexpectedField,
    /// <summary>
    /// A varint longer than its minimal form. The spec requires the one deterministic encoding because the bytes are
    /// hashed into peer ids and signed over; a second encoding of the same key would be a second identity.
    /// </summary>
    NonCanonicalEncoding,
    /// <summary>RSA, ECDSA or a value outside the enum.</summary>
    UnsupportedKeyType,
    /// <summary>The <c>Data</c> field has a length the key type does not allow.</summary>
    InvalidKeyLength,
    /// <summary>Right length, wrong content: not a curve point, a scalar out of range, or an Ed25519 seed and public key that do not match.</summary>
    InvalidKey,
}
