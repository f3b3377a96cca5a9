using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz;

/// <summary>
/// The contract every wire message decoder shares, checked on arbitrary bytes: it returns a <see cref="WireResult"/>
/// and never throws; the same bytes in one segment or in many decode alike; a header error is what
/// <see cref="WireHeader.TryPeek"/> reports; and a message it accepts is canonical — it re-encodes to exactly the
/// input (so no two byte strings carry one message, which gossip's byte-level message ids rely on), one byte less is
/// refused and one byte more is <see cref="WireError.TrailingBytes"/>.
/// </summary>
internal abstract class WireMessageTarget<TMessage> : IFuzzTarget
    where TMessage : struct
{
    public abstract string Name { get; }

    protected abstract WireMessageType Type { get; }

    public abstract IEnumerable<byte[]> Seeds();

    protected abstract WireResult Decode(ReadOnlySequence<byte> input, out TMessage message);

    protected abstract void Encode(in TMessage message, IBufferWriter<byte> output);

    protected abstract bool AreEqual(in TMessage left, in TMessage right);

    /// <summary>Whatever else a decoded message must support without throwing (signing digests, views).</summary>
    protected virtual void UseDecoded(in TMessage message)
    {
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var bytes = input.ToArray();
        var whole = new ReadOnlySequence<byte>(bytes);
        var result = Decode(whole, out var message);
        // Segment sizes vary with the input's length, so mutations that grow or shrink a message move the boundaries.
        var segmentedResult = Decode(ChunkedSequence.Create(input, 1 + input.Length % 7), out var segmentedMessage);
        if (segmentedResult != result)
            throw new ContractViolationException($"one segment gives {result}, several give {segmentedResult}");

        var header = WireHeader.TryPeek(whole, out var type);
        if (!header.IsOk && result != header)
            throw new ContractViolationException($"the decoder says {result} where the header is {header}");
        if (header.IsOk && type != Type && result != new WireResult(WireError.UnexpectedMessageType, WireField.MessageType))
            throw new ContractViolationException($"a {type} header gave {result}");
        if (!result.IsOk)
            return;

        ThrowIf(!AreEqual(message, segmentedMessage), "one segment and several decode to different messages");
        var output = new ArrayBufferWriter<byte>(bytes.Length);
        Encode(message, output);
        ThrowIf(!output.WrittenSpan.SequenceEqual(input), "an accepted message re-encodes to different bytes");
        ThrowIf(Decode(new ReadOnlySequence<byte>(output.WrittenMemory), out var again) != WireResult.Ok
            || !AreEqual(message, again), "the re-encoded message decodes differently");

        ThrowIf(Decode(whole.Slice(0, bytes.Length - 1), out _).IsOk, "a message missing its last byte was accepted");
        byte[] longer = [.. bytes, 0];
        ThrowIf(Decode(new ReadOnlySequence<byte>(longer), out _).Error != WireError.TrailingBytes,
            "a message with a byte appended is not TrailingBytes");

        UseDecoded(message);
    }
}
