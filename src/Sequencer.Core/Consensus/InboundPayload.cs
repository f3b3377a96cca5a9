using System.Buffers;

namespace Sequencer.Core.Consensus;

/// <summary>
/// A private copy of a borrowed inbound payload, in a pooled array, as the <see cref="ReadOnlySequence{T}"/> the wire
/// decoders read. Decoded messages that borrow their input (a proposal's summary, a delta's entries, a bitmap) are
/// valid until <see cref="Dispose"/>; the handlers that keep anything copy it out first.
/// </summary>
internal readonly ref struct InboundPayload
{
    private readonly byte[] _buffer;

    private InboundPayload(byte[] buffer, int length)
    {
        _buffer = buffer;
        Memory = buffer.AsMemory(0, length);
    }

    public ReadOnlyMemory<byte> Memory { get; }

    public ReadOnlySequence<byte> Sequence => new(Memory);

    public static InboundPayload Copy(ReadOnlySpan<byte> payload)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(buffer);
        return new InboundPayload(buffer, payload.Length);
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);
}
