namespace Sequencer.Core.Validators;

/// <summary>Why a validator directory (a file, or entries built in code) was refused.</summary>
public enum DirectoryError
{
    None = 0,

    /// <summary>The file is not well-formed JSON (comments allowed): a stray character, an unclosed object, a trailing comma.</summary>
    Syntax,

    /// <summary>The file exceeds <see cref="DirectoryFile.MaxFileSize"/>.</summary>
    FileTooLarge,

    /// <summary>A value has the wrong JSON type (a string where a number belongs, an object where an array belongs).</summary>
    WrongType,

    /// <summary>A property the format does not define: refused rather than ignored, so a misspelt key never goes unnoticed.</summary>
    UnknownField,

    /// <summary>The same property twice in one object.</summary>
    DuplicateField,

    /// <summary>A required property is absent.</summary>
    MissingField,

    /// <summary>The <c>version</c> is not one this build reads.</summary>
    UnsupportedVersion,

    /// <summary>A number that is not an integer in the field's range (negative, fractional, exponent, too large).</summary>
    InvalidNumber,

    /// <summary>A validator with weight 0: it could never be drawn nor count towards a quorum, so it is a mistake.</summary>
    ZeroWeight,

    /// <summary>The weights add up to more than 2^63, the bound that keeps every weight sum free of overflow.</summary>
    TotalWeightTooLarge,

    /// <summary>A hex field is not hexadecimal (two digits per byte, no prefix).</summary>
    InvalidHex,

    /// <summary>A validator public key is not a 33-byte compressed secp256k1 point.</summary>
    InvalidPublicKey,

    /// <summary>A peer id is not a libp2p peer id in either text form (or, built in code, is empty).</summary>
    InvalidPeerId,

    /// <summary>A region is empty, longer than 64 UTF-8 bytes, or holds control characters.</summary>
    InvalidRegion,

    /// <summary>A listen address is not a multiaddr in text form, or a validator lists too many.</summary>
    InvalidAddress,

    /// <summary>One validator lists the same address twice.</summary>
    DuplicateAddress,

    /// <summary>Two validators share a peer id: transport identities map to exactly one directory index.</summary>
    DuplicatePeerId,

    /// <summary>Two validators share a validator key: one key would sign (and be counted) for two indices.</summary>
    DuplicatePublicKey,

    /// <summary>The validator list is empty.</summary>
    NoValidators,

    /// <summary>More validators than the protocol's index space (<see cref="Wire.WireLimits.MaxValidators"/>).</summary>
    TooManyValidators,
}
