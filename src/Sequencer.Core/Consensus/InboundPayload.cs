using System.Buffers;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// A borrowed inbound payload, opened: its header peeked and, when that names a known message of this version, a private
/// copy in a pooled array, as the <see cref="ReadOnlySequence{T}"/> the wire decoders read. A payload whose header is
/// not well formed is never copied. Decoded messages that borrow their input (a proposal's summary, a delta's
/// entries, a bitmap) are valid until <see cref="Dispose"/>; the handlers that keep anything copy it out first.
/// </summary>
internal readonly ref struct InboundPayload
{
    private readonly byte[]? _buffer;

    private InboundPayload(byte[] buffer, int length, WireMessageType type)
    {
        _buffer = buffer;
        Memory = buffer.AsMemory(0, length);
        Type = type;
    }

    /// <summary>False when the header is not a known message type of this wire version: then there is nothing to read.</summary>
    public bool IsWellFormed => _buffer is not null;

    public WireMessageType Type { get; }

    public ReadOnlyMemory<byte> Memory { get; }

    public ReadOnlySequence<byte> Sequence => new(Memory);

    public static InboundPayload Open(ReadOnlySpan<byte> payload)
    {
        if (!WireHeader.TryPeek(payload, out var type).IsOk)
            return default;
        var buffer = ArrayPool<byte>.Shared.Rent(payload.Length);
        payload.CopyTo(buffer);
        return new InboundPayload(buffer, payload.Length, type);
    }

    public void Dispose()
    {
        if (_buffer is not null)
            ArrayPool<byte>.Shared.Return(_buffer);
    }
}
