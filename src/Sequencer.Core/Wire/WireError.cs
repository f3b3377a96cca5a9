namespace Sequencer.Core.Wire;

/// <summary>Why a byte string is not a valid message. <see cref="None"/> means it is.</summary>
public enum WireError : byte
{
    None = 0,

    /// <summary>The input ends before the message does (the field says where).</summary>
    Truncated,

    /// <summary>The version byte is not one this build speaks.</summary>
    UnsupportedVersion,

    /// <summary>The type byte names no message at all.</summary>
    UnknownMessageType,

    /// <summary>The type byte names a real message, but not the one this decoder reads.</summary>
    UnexpectedMessageType,

    /// <summary>A count or length exceeds its protocol bound (the field says which).</summary>
    TooLarge,

    /// <summary>A field parsed but holds a value the protocol forbids (the field says which).</summary>
    InvalidField,

    /// <summary>Bytes follow a complete message: one input is exactly one message.</summary>
    TrailingBytes,
}
