namespace Sequencer.Core.Identity;

/// <summary>Operator-facing wording of <see cref="IdentityError"/>, shared by key files and the command line.</summary>
public static class IdentityErrorDescriptions
{
    public static string Describe(this IdentityError error) => error switch
    {
        IdentityError.None => "no error",
        IdentityError.Truncated => "truncated: the protobuf ends inside a field",
        IdentityError.MalformedProtobuf => "malformed protobuf (bad varint, tag or wire type)",
        IdentityError.MissingField => "the Type or Data field is missing",
        IdentityError.UnexpectedField => "unexpected field: libp2p keys have exactly Type (1) then Data (2)",
        IdentityError.NonCanonicalEncoding => "non-canonical encoding (a varint longer than its minimal form)",
        IdentityError.UnsupportedKeyType => "unsupported key type (only Ed25519 and secp256k1 keys are supported)",
        IdentityError.InvalidKeyLength => "the key data has the wrong length for its type",
        IdentityError.InvalidKey => "invalid key (not a curve point, scalar out of range, or Ed25519 halves that do not match)",
        _ => error.ToString(),
    };
}
