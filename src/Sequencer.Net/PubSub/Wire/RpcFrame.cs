using System.Buffers;
using Sequencer.Core.Formats;

namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// Framing of the pubsub stream: every RPC travels as <c>uvarint(length) ‖ RPC</c>. The length is checked against the
/// maximum before any of the body is awaited, so a peer cannot make us buffer more than one maximum-size frame.
/// </summary>
public static class RpcFrame
{
    /// <summary>The maximum RPC size js-libp2p and go-libp2p use by default.</summary>
    public const int DefaultMaxRpcSize = 4 << 20;

    /// <summary>
    /// Takes one frame from the start of <paramref name="buffer"/>. <see cref="OperationStatus.Done"/>: <paramref name="rpc"/>
    /// is the body and <paramref name="buffer"/> starts after it. <see cref="OperationStatus.NeedMoreData"/>: nothing
    /// consumed. <see cref="OperationStatus.InvalidData"/>: <paramref name="error"/> says why; the stream is unusable.
    /// </summary>
    public static OperationStatus TryRead(
        ref ReadOnlySequence<byte> buffer, int maxRpcSize, out ReadOnlySequence<byte> rpc, out RpcError error)
    {
        rpc = default;
        error = RpcError.None;
        var reader = new SequenceReader<byte>(buffer);
        switch (UnsignedVarint.TryRead(ref reader, out var length))
        {
            case OperationStatus.NeedMoreData:
                return OperationStatus.NeedMoreData;
            case OperationStatus.InvalidData:
                error = RpcError.MalformedLengthPrefix;
                return OperationStatus.InvalidData;
        }
        if (length > (ulong)maxRpcSize)
        {
            error = RpcError.FrameTooLarge;
            return OperationStatus.InvalidData;
        }
        if (reader.Remaining < (long)length)
            return OperationStatus.NeedMoreData;
        rpc = buffer.Slice(reader.Position, (long)length);
        buffer = buffer.Slice(rpc.End);
        return OperationStatus.Done;
    }

    public static int GetFrameSize(int rpcSize) => UnsignedVarint.GetLength((ulong)rpcSize) + rpcSize;

    /// <summary>Writes the length prefix of an RPC of <paramref name="rpcSize"/> bytes; returns its length.</summary>
    public static int WritePrefix(int rpcSize, Span<byte> destination) => UnsignedVarint.Write((ulong)rpcSize, destination);
}
