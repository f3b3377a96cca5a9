using System.Buffers;

namespace Sequencer.Core.Consensus;

/// <summary>
/// The node's one buffer for encoding outbound messages. Ports only borrow a payload for the duration of the call
/// (they copy what they keep), so the buffer is reused: <see cref="Begin"/>, encode, hand <see cref="Written"/> to the
/// port, and only then begin the next message. Loop-only.
/// </summary>
internal sealed class OutboundWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public IBufferWriter<byte> Begin()
    {
        _buffer.ResetWrittenCount();
        return _buffer;
    }

    public ReadOnlyMemory<byte> Written => _buffer.WrittenMemory;

    /// <summary>A copy of what was written, for messages a round keeps (its proposal, its certificate).</summary>
    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
