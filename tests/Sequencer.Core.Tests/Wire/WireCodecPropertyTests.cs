using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Wire;

/// <summary>The codec laws, checked over generated valid messages of every type.</summary>
[Properties(Arbitrary = [typeof(WireArbitraries)])]
public sealed class WireCodecPropertyTests
{
    [Property]
    public bool DecodingAnEncodingGivesTheMessageBack(WireSample sample) =>
        WireCodecs.Decode(sample.Type, sample.Bytes, out var decoded).IsOk && sample.Message.Equals(decoded);

    [Property]
    public Property DecodingWorksWhateverTheSegmentation()
    {
        var input = WireGenerators.Sample.SelectMany(sample => WireGenerators.SegmentSizes.Select(sizes => (sample, sizes)));
        return Prop.ForAll(input.ToArbitrary(), x =>
        {
            var segmented = SegmentedSequence.Create(x.sample.Bytes, x.sizes);
            return WireCodecs.Decode(x.sample.Type, segmented, out var decoded).IsOk && x.sample.Message.Equals(decoded);
        });
    }

    [Property(MaxTest = 30)]
    public bool DecodingWorksFromOneBytePerSegment(WireSample sample) =>
        WireCodecs.Decode(sample.Type, SegmentedSequence.BytePerSegment(sample.Bytes), out var decoded).IsOk
        && sample.Message.Equals(decoded);

    [Property]
    public bool ReEncodingADecodedMessageGivesTheSameBytes(WireSample sample)
    {
        WireCodecs.Decode(sample.Type, sample.Bytes, out var decoded);
        return WireCodecs.Encode(decoded!).AsSpan().SequenceEqual(sample.Bytes);
    }

    [Property]
    public bool EveryTruncationIsReportedAsTruncated(WireSample sample)
    {
        for (var length = 0; length < sample.Bytes.Length; length++)
        {
            var prefix = new ReadOnlySequence<byte>(sample.Bytes, 0, length);
            var result = WireCodecs.Decode(sample.Type, prefix, out var decoded);
            if (result.Error != WireError.Truncated || decoded is not null)
                return false;
        }
        return true;
    }

    [Property]
    public bool AnyTrailingByteIsRefused(WireSample sample, byte extra)
    {
        byte[] longer = [.. sample.Bytes, extra];
        return WireCodecs.Decode(sample.Type, longer, out _) == new WireResult(WireError.TrailingBytes, WireField.None);
    }

    [Property]
    public bool AnyOtherVersionIsRefused(WireSample sample, byte version)
    {
        if (version == WireVersion.Current)
            version = 0;
        var bytes = (byte[])sample.Bytes.Clone();
        bytes[0] = version;
        return WireCodecs.Decode(sample.Type, bytes, out _).Error == WireError.UnsupportedVersion
            && WireHeader.TryPeek(new ReadOnlySequence<byte>(bytes), out _).Error == WireError.UnsupportedVersion;
    }

    [Property]
    public bool EachDecoderReadsOnlyItsOwnType(WireSample sample)
    {
        if (!WireHeader.TryPeek(new ReadOnlySequence<byte>(sample.Bytes), out var peeked).IsOk || peeked != sample.Type)
            return false;
        foreach (var other in WireCodecs.AllTypes)
        {
            if (other != sample.Type
                && WireCodecs.Decode(other, sample.Bytes, out _) != new WireResult(WireError.UnexpectedMessageType, WireField.MessageType))
                return false;
        }
        return true;
    }

    [Property]
    public bool AnUnknownTypeByteIsRefused(WireSample sample, byte type)
    {
        if (((WireMessageType)type).IsDefined())
            type = 0;
        var bytes = (byte[])sample.Bytes.Clone();
        bytes[1] = type;
        return WireCodecs.Decode(sample.Type, bytes, out _).Error == WireError.UnknownMessageType
            && WireHeader.TryPeek(new ReadOnlySequence<byte>(bytes), out _).Error == WireError.UnknownMessageType;
    }

    [Property(MaxTest = 300)]
    public bool RandomBytesNeverThrow(byte[] garbage)
    {
        foreach (var type in WireCodecs.AllTypes)
        {
            WireCodecs.Decode(type, garbage, out _);
            // The same garbage behind a valid header reaches the field parsers.
            byte[] framed = [WireVersion.Current, (byte)type, .. garbage];
            WireCodecs.Decode(type, framed, out _);
            WireCodecs.Decode(type, SegmentedSequence.Create(framed, [3, 0, 7]), out _);
        }
        return true;
    }

    [Property]
    public Property MutatedMessagesDecodeOrFailButNeverThrow()
    {
        var input = WireGenerators.Sample.SelectMany(sample =>
            Gen.ListOf(Gen.Zip(Gen.Choose(0, int.MaxValue), WireGenerators.Byte)).Select(edits => (sample, edits)));
        return Prop.ForAll(input.ToArbitrary(), x =>
        {
            var bytes = (byte[])x.sample.Bytes.Clone();
            foreach (var (at, value) in x.edits)
                bytes[at % bytes.Length] = value;
            var result = WireCodecs.Decode(x.sample.Type, bytes, out var decoded);
            // Whatever decodes must itself be a valid message: re-encoding it must not throw and must give the input.
            return !result.IsOk || WireCodecs.Encode(decoded!).AsSpan().SequenceEqual(bytes);
        });
    }
}
