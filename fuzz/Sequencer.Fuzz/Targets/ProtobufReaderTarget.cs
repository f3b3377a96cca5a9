using Sequencer.Core.Formats;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="ProtobufReader"/> walking every field of an arbitrary message, nested messages included. Checks: reading
/// and skipping stop at the same place with the same error; the error sticks; a message read to its end re-encodes
/// through <see cref="ProtobufWriter"/> (whose size helpers must predict what it writes) to canonical bytes, no longer
/// than the input, that read back as the same fields.
/// </summary>
internal sealed class ProtobufReaderTarget : IFuzzTarget
{
    // Length-delimited fields are also tried as nested messages, as a schema would, this many levels deep.
    private const int MaxNestingDepth = 4;

    public string Name => "protobuf-reader";

    public IEnumerable<byte[]> Seeds()
    {
        // A libp2p PublicKey: KeyType secp256k1 (2), 33 bytes of compressed key.
        var key = new byte[33];
        key[0] = 0x02;
        key.AsSpan(1).Fill(0x5A);
        yield return Encode((ref ProtobufWriter writer) =>
        {
            writer.WriteVarintField(1, 2);
            writer.WriteBytesField(2, key);
        }, ProtobufWriter.GetVarintFieldSize(1, 2) + ProtobufWriter.GetBytesFieldSize(2, key.Length));

        // Every wire type: a varint needing ten bytes, fixed64, a nested message, fixed32, a large field number.
        yield return
        [
            0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
            0x11, 1, 2, 3, 4, 5, 6, 7, 8,
            0x1A, 0x04, 0x08, 0x96, 0x01, 0x10,
            0x25, 9, 10, 11, 12,
            0xF8, 0xFF, 0xFF, 0xFF, 0x0F, 0x00,
        ];

        // Repeated strings, as in identify's listenAddrs and protocols.
        yield return "\u0012\u0007/ipfs/1\u0012\u0007/yamux/"u8.ToArray();
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var fields = new List<Field>();
        var error = Read(input, fields, depth: 0, out var position);
        var skipError = Skip(input, out var skipPosition);
        ThrowIf(skipError != error || skipPosition != position, "reading and skipping the fields stop differently");
        if (error != ProtobufError.None)
            return;
        ThrowIf(position != input.Length, "the reader stopped before the end without an error");

        var size = 0;
        foreach (var field in fields)
            size += field.EncodedSize();
        var encoded = new byte[size];
        var writer = new ProtobufWriter(encoded);
        foreach (var field in fields)
            field.WriteTo(ref writer);
        ThrowIf(writer.Written != size, "ProtobufWriter wrote a different length than its size helpers predicted");
        ThrowIf(size > input.Length, "the canonical re-encoding is longer than the input");

        var reread = new List<Field>();
        ThrowIf(Read(encoded, reread, depth: 0, out _) != ProtobufError.None, "the re-encoded message does not read");
        ThrowIf(reread.Count != fields.Count, "the re-encoded message has a different number of fields");
        for (var i = 0; i < fields.Count; i++)
            ThrowIf(!fields[i].Equals(reread[i]), "a re-encoded field reads back differently");
    }

    /// <summary>Reads every field with the call its wire type asks for; returns the reader's error.</summary>
    private static ProtobufError Read(ReadOnlySpan<byte> message, List<Field>? fields, int depth, out int position)
    {
        var reader = new ProtobufReader(message);
        while (true)
        {
            var start = reader.Position;
            if (!reader.TryReadTag(out var number, out var wireType))
                break;
            ThrowIf(number <= 0, "a tag with field number 0 or below was accepted");
            switch (wireType)
            {
                case ProtobufWireType.Varint:
                    if (reader.TryReadVarint(wireType, out var value))
                        fields?.Add(new Field(number, wireType, value, []));
                    break;
                case ProtobufWireType.LengthDelimited:
                    if (reader.TryReadBytes(wireType, out var bytes))
                    {
                        fields?.Add(new Field(number, wireType, 0, bytes.ToArray()));
                        if (depth < MaxNestingDepth)
                            Read(bytes, null, depth + 1, out _);
                    }
                    break;
                case ProtobufWireType.Fixed64:
                case ProtobufWireType.Fixed32:
                    var before = reader.Position;
                    if (reader.TrySkip(wireType))
                        fields?.Add(new Field(number, wireType, 0, message[before..reader.Position].ToArray()));
                    break;
                default:
                    throw new ContractViolationException($"TryReadTag returned the refused wire type {(int)wireType}");
            }
            ThrowIf(reader.Position <= start && reader.Error == ProtobufError.None, "a field consumed nothing");
        }
        position = reader.Position;
        ThrowIf(position > message.Length, "the reader's position is past the end of the input");
        CheckErrorSticks(ref reader);
        return reader.Error;
    }

    private static ProtobufError Skip(ReadOnlySpan<byte> message, out int position)
    {
        var reader = new ProtobufReader(message);
        while (reader.TryReadTag(out _, out var wireType) && reader.TrySkip(wireType))
        {
        }
        position = reader.Position;
        return reader.Error;
    }

    private static void CheckErrorSticks(ref ProtobufReader reader)
    {
        var error = reader.Error;
        var position = reader.Position;
        if (error == ProtobufError.None)
        {
            ThrowIf(!reader.IsAtEnd, "the walk ended before the end of the input without an error");
            return;
        }
        ThrowIf(
            reader.TryReadTag(out _, out _) || reader.TryReadVarint(ProtobufWireType.Varint, out _)
            || reader.TryReadBytes(ProtobufWireType.LengthDelimited, out _) || reader.TrySkip(ProtobufWireType.Fixed32),
            "a call succeeded after an error");
        ThrowIf(reader.Error != error || reader.Position != position, "the first error did not stick");
    }

    private static byte[] Encode(WriteFields write, int size)
    {
        var bytes = new byte[size];
        var writer = new ProtobufWriter(bytes);
        write(ref writer);
        return bytes;
    }

    private delegate void WriteFields(ref ProtobufWriter writer);

    /// <summary>One field as read: the varint value, or the bytes of a length-delimited or fixed-width field.</summary>
    private readonly record struct Field(int Number, ProtobufWireType WireType, ulong Value, byte[] Bytes)
    {
        public int EncodedSize() => WireType switch
        {
            ProtobufWireType.Varint => ProtobufWriter.GetVarintFieldSize(Number, Value),
            ProtobufWireType.LengthDelimited => ProtobufWriter.GetBytesFieldSize(Number, Bytes.Length),
            _ => ProtobufWriter.GetVarintSize(Tag) + Bytes.Length,
        };

        public void WriteTo(ref ProtobufWriter writer)
        {
            switch (WireType)
            {
                case ProtobufWireType.Varint:
                    writer.WriteVarintField(Number, Value);
                    break;
                case ProtobufWireType.LengthDelimited:
                    writer.WriteBytesField(Number, Bytes);
                    break;
                default:
                    // The writer has no fixed-width fields (no libp2p schema uses them); the tag is a plain varint,
                    // which the multiformats codec writes identically for values below 2^63.
                    var tag = new byte[UnsignedVarint.MaxLength];
                    writer.WriteRaw(tag.AsSpan(0, UnsignedVarint.Write(Tag, tag)));
                    writer.WriteRaw(Bytes);
                    break;
            }
        }

        private ulong Tag => ((ulong)Number << 3) | (uint)WireType;

        public bool Equals(Field other) =>
            Number == other.Number && WireType == other.WireType && Value == other.Value
            && Bytes.AsSpan().SequenceEqual(other.Bytes);

        public override int GetHashCode() => HashCode.Combine(Number, WireType, Value, Bytes.Length);
    }
}
