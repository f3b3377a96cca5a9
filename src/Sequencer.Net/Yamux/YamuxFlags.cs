namespace Sequencer.Net.Yamux;

/// <summary>The flags of a yamux frame header (bits outside these are ignored, as go and js yamux do).</summary>
[Flags]
public enum YamuxFlags : ushort
{
    None = 0,

    /// <summary>Opens a stream; on a ping, asks for an answer.</summary>
    Syn = 0x1,

    /// <summary>Accepts a stream; on a ping, is the answer.</summary>
    Ack = 0x2,

    /// <summary>Half-closes the stream: the sender sends nothing more.</summary>
    Fin = 0x4,

    /// <summary>Resets the stream in both directions at once.</summary>
    Rst = 0x8,
}
