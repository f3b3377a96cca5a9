using System.Buffers;
using Sequencer.Core.Identity;

namespace Sequencer.Net.Streams;

/// <summary>The response to a request: its payload, in a pooled buffer returned by <see cref="Dispose"/>.</summary>
public sealed class RequestResponse : IDisposable
{
    private readonly int _length;
    private byte[]? _buffer;

    internal RequestResponse(PeerId peer, string protocol, byte[] buffer, int length)
    {
        Peer = peer;
        Protocol = protocol;
        _buffer = buffer;
        _length = length;
    }

    /// <summary>The authenticated peer that answered.</summary>
    public PeerId Peer { get; }

    public string Protocol { get; }

    /// <summary>The response frame's payload (length prefix removed); invalid after <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> Payload
    {
        get
        {
            var buffer = Volatile.Read(ref _buffer);
            ObjectDisposedException.ThrowIf(buffer is null, this);
            return buffer.AsMemory(0, _length);
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, null);
        if (buffer is not null)
            ArrayPool<byte>.Shared.Return(buffer);
    }
}
