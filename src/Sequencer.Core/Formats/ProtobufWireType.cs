namespace Sequencer.Core.Formats;

/// <summary>The wire types of protocol buffers (groups, 3 and 4, are deprecated and refused).</summary>
public enum ProtobufWireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    Fixed32 = 5,
}
