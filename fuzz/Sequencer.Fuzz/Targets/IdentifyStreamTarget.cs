using System.Buffers;
using Sequencer.Core.Formats;
using Sequencer.Net.Identify;
using Sequencer.Net.Transport;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="IdentifyProtocol.ReadMessageAsync"/> on a pipe fed the input as the answering peer's stream, then its
/// end. The first input byte picks the size bound (js-libp2p's 8 KiB or a small one, to reach MessageTooLarge) and the
/// write segments (1–32 bytes). Checks, against the length prefix read with the varint codec alone and the body
/// decoded with <see cref="IdentifyMessage.TryDecode"/>: within <see cref="RemotePeer.Deadline"/> the read gives the
/// message the body holds or fails with the <see cref="IdentifyException"/> the bytes call for (a stream cut short is
/// StreamClosed), and it leaves exactly the bytes after the message in the pipe.
/// </summary>
internal sealed class IdentifyStreamTarget : IFuzzTarget
{
    private static readonly int[] s_maxSizes = [IdentifyProtocol.DefaultMaxMessageSize, 0, 1, 16, 127, 128, 300, 1024];

    public string Name => "identify-stream";

    public IEnumerable<byte[]> Seeds()
    {
        foreach (var message in new IdentifyMessageTarget().Seeds())
        {
            var prefix = new byte[UnsignedVarint.MaxLength];
            var length = UnsignedVarint.Write((ulong)message.Length, prefix);
            yield return [0x00 | 5 << 3, .. prefix.AsSpan(0, length), .. message, 0xEE];
            yield return [0x04 | 31 << 3, .. prefix.AsSpan(0, length), .. message];
        }
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var maxSize = s_maxSizes[input[0] & 7];
        var segmentLength = (input[0] >> 3) % 32 + 1;
        var stream = input[1..].ToArray();
        RemotePeer.Run(() => ExchangeAsync(stream, maxSize, segmentLength), "reading an identify message");
    }

    private static async Task ExchangeAsync(byte[] stream, int maxSize, int segmentLength)
    {
        var pipe = PipeFactory.Create(1 << 20, 1 << 19);
        var sending = RemotePeer.SendAsync(pipe.Writer, stream, segmentLength);
        IdentifyMessage? message = null;
        IdentifyError error;
        try
        {
            message = await IdentifyProtocol.ReadMessageAsync(pipe.Reader, maxSize);
            error = IdentifyError.None;
        }
        catch (IdentifyException e)
        {
            error = e.Error;
        }
        await sending;
        var rest = Array.Empty<byte>();
        if (message is not null)
        {
            var result = await pipe.Reader.ReadAsync();
            ThrowIf(!result.IsCompleted, "the stream did not end after all input was written");
            rest = result.Buffer.ToArray();
            pipe.Reader.AdvanceTo(result.Buffer.End);
        }
        await pipe.Reader.CompleteAsync();

        var expectedError = Expected(stream, maxSize, out var expected, out var frameLength);
        ThrowIf(error != expectedError, $"the read ended with {error}; the bytes call for {expectedError}");
        if (message is null)
            return;
        ThrowIf(!stream.AsSpan(frameLength).SequenceEqual(rest),
            $"{rest.Length} bytes are left after the message, not the {stream.Length - frameLength} that followed it");
        ThrowIf(!message.ToArray().AsSpan().SequenceEqual(expected!.ToArray()) || message.SkippedAddresses != expected.SkippedAddresses,
            "the message read from the stream differs from the one its body decodes to");
    }

    /// <summary>What the stream calls for: the error, or the message its first frame decodes to and that frame's length.</summary>
    private static IdentifyError Expected(byte[] stream, int maxSize, out IdentifyMessage? message, out int frameLength)
    {
        message = null;
        frameLength = 0;
        var status = UnsignedVarint.TryRead(stream, out var length, out var prefixLength);
        if (status == OperationStatus.NeedMoreData)
            return IdentifyError.StreamClosed;
        if (status != OperationStatus.Done)
            return IdentifyError.InvalidLengthPrefix;
        if (length > (ulong)maxSize)
            return IdentifyError.MessageTooLarge;
        if ((ulong)(stream.Length - prefixLength) < length)
            return IdentifyError.StreamClosed;
        frameLength = prefixLength + (int)length;
        return IdentifyMessage.TryDecode(stream.AsSpan(prefixLength, (int)length), out message, out _);
    }
}
