using System.Buffers;
using Sequencer.Core.Formats;
using Sequencer.Net.PubSub.Wire;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="RpcFrame.TryRead"/> taking RPC frames off an arbitrary pubsub stream until it stops, from one segment
/// and from segments of 1–32 bytes. The first input byte picks the size bound (the default or a small one, to reach
/// FrameTooLarge) and the segment size. Checks, against the length prefix read with the varint codec alone: both
/// forms give the status and error the prefix calls for; anything but Done consumes nothing; a frame consumes exactly
/// prefix and body, and its prefix writes back to the same bytes.
/// </summary>
internal sealed class GossipSubFrameTarget : IFuzzTarget
{
    private static readonly int[] s_maxRpcSizes = [RpcFrame.DefaultMaxRpcSize, 0, 1, 127, 128, 300, 16_383, 16_384];

    public string Name => "gossipsub-frame";

    public IEnumerable<byte[]> Seeds()
    {
        yield return [0x00 | 3 << 3, .. GossipSubRpcTarget.SampleRpcFrame(), 0x00, 0x02, 0x0A, 0x00];
        // Over a bound of 127, then a prefix announcing more than is there.
        yield return [0x03, 0x80, 0x01, .. new byte[128], 0x05, 0x01];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var maxRpcSize = s_maxRpcSizes[input[0] & 7];
        var data = input[1..];
        var whole = new ReadOnlySequence<byte>(data.ToArray());
        var segmented = ChunkedSequence.Create(data, (input[0] >> 3) % 32 + 1);
        Span<byte> prefix = stackalloc byte[UnsignedVarint.MaxLength];
        while (true)
        {
            var expected = Expected(data, maxRpcSize, out var expectedError, out var prefixLength, out var rpcLength);
            var before = whole;
            var segmentedBefore = segmented;
            var status = RpcFrame.TryRead(ref whole, maxRpcSize, out var rpc, out var error);
            var segmentedStatus = RpcFrame.TryRead(ref segmented, maxRpcSize, out var segmentedRpc, out var segmentedError);
            ThrowIf(status != expected || segmentedStatus != expected || error != expectedError || segmentedError != expectedError,
                $"{status}/{error} from one segment, {segmentedStatus}/{segmentedError} from several; "
                + $"the prefix calls for {expected}/{expectedError}");
            if (status != OperationStatus.Done)
            {
                ThrowIf(!whole.Start.Equals(before.Start) || !segmented.Start.Equals(segmentedBefore.Start) || whole.Length != data.Length,
                    "a frame that was not read consumed input");
                return;
            }
            ThrowIf(rpc.Length != rpcLength || segmentedRpc.Length != rpcLength || whole.Length != data.Length - prefixLength - rpcLength
                || segmented.Length != whole.Length, "a frame consumed other than its prefix and body");
            ThrowIf(!rpc.ToArray().AsSpan().SequenceEqual(data.Slice(prefixLength, rpcLength))
                || !segmentedRpc.ToArray().AsSpan().SequenceEqual(data.Slice(prefixLength, rpcLength)),
                "the body is not the bytes after the prefix");
            var written = RpcFrame.WritePrefix(rpcLength, prefix);
            ThrowIf(!prefix[..written].SequenceEqual(data[..prefixLength]) || RpcFrame.GetFrameSize(rpcLength) != prefixLength + rpcLength,
                "the prefix writes back to different bytes");
            data = data[(prefixLength + rpcLength)..];
        }
    }

    /// <summary>What the prefix at the start of <paramref name="data"/> calls for, read with the varint codec alone.</summary>
    private static OperationStatus Expected(ReadOnlySpan<byte> data, int maxRpcSize, out RpcError error, out int prefixLength, out int rpcLength)
    {
        error = RpcError.None;
        rpcLength = 0;
        var status = UnsignedVarint.TryRead(data, out var length, out prefixLength);
        if (status == OperationStatus.NeedMoreData)
            return status;
        if (status != OperationStatus.Done)
        {
            error = RpcError.MalformedLengthPrefix;
            return OperationStatus.InvalidData;
        }
        if (length > (ulong)maxRpcSize)
        {
            error = RpcError.FrameTooLarge;
            return OperationStatus.InvalidData;
        }
        if ((ulong)(data.Length - prefixLength) < length)
            return OperationStatus.NeedMoreData;
        rpcLength = (int)length;
        return OperationStatus.Done;
    }
}
