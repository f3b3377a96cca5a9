namespace Sequencer.Core.Formats;

/// <summary>Why a protobuf message could not be read.</summary>
public enum ProtobufError
{
    None,
    /// <summary>The input ends inside a field.</summary>
    Truncated,
    /// <summary>A varint longer than 10 bytes or beyond 64 bits.</summary>
    MalformedVarint,
    /// <summary>A field number of 0 or a wire type this reader refuses (groups, 6, 7).</summary>
    InvalidTag,
    /// <summary>A field was read with a wire type other than the one the schema gives it.</summary>
    WrongWireType,
    /// <summary>A length-delimited field longer than the rest of the input.</summary>
    LengthOutOfRange,
}
