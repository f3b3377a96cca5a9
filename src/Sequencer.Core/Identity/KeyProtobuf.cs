using Sequencer.Core.Formats;

namespace Sequencer.Core.Identity;

/// <summary>
/// The libp2p <c>PublicKey</c>/<c>PrivateKey</c> message, <c>{ required KeyType Type = 1; required bytes Data = 2; }</c>,
/// in the deterministic form the peer-ids spec demands: Type then Data, minimal varints, no other field. Reading
/// accepts that form only, so a key has exactly one encoding and therefore one peer id.
/// </summary>
internal static class KeyProtobuf
{
    private const int TypeField = 1;
    private const int DataField = 2;

    public static int GetSize(KeyType type, int dataLength) => GetSize((ulong)type, dataLength);

    public static int Write(KeyType type, ReadOnlySpan<byte> data, Span<byte> destination)
    {
        var size = GetSize(type, data.Length);
        if (destination.Length < size)
            throw new ArgumentException($"a {type} key protobuf needs {size} bytes; the destination has {destination.Length}",
                nameof(destination));
        var writer = new ProtobufWriter(destination);
        writer.WriteVarintField(TypeField, (ulong)type);
        writer.WriteBytesField(DataField, data);
        return writer.Written;
    }

    /// <summary>Reads the message; on success <paramref name="type"/> is a supported type and <paramref name="data"/> a slice of the input.</summary>
    public static IdentityError TryRead(ReadOnlySpan<byte> protobuf, out KeyType type, out ReadOnlySpan<byte> data)
    {
        type = default;
        data = default;
        var reader = new ProtobufReader(protobuf);

        if (!reader.TryReadTag(out var field, out var wireType))
            return reader.Error == ProtobufError.None ? IdentityError.MissingField : Map(reader.Error);
        if (field != TypeField)
            return IdentityError.UnexpectedField;
        if (!reader.TryReadVarint(wireType, out var rawType))
            return Map(reader.Error);

        if (!reader.TryReadTag(out field, out wireType))
            return reader.Error == ProtobufError.None ? IdentityError.MissingField : Map(reader.Error);
        if (field != DataField)
            return IdentityError.UnexpectedField;
        if (!reader.TryReadBytes(wireType, out data))
            return Map(reader.Error);

        if (!reader.IsAtEnd)
            return reader.TryReadTag(out _, out _) ? IdentityError.UnexpectedField : Map(reader.Error);
        // Both fields were read and nothing follows, so a size above the canonical one can only come from padded varints.
        if (protobuf.Length != GetSize(rawType, data.Length))
            return IdentityError.NonCanonicalEncoding;
        if (rawType is not ((ulong)KeyType.Ed25519 or (ulong)KeyType.Secp256k1))
            return IdentityError.UnsupportedKeyType;
        type = (KeyType)rawType;
        return IdentityError.None;
    }

    private static int GetSize(ulong type, int dataLength) =>
        ProtobufWriter.GetVarintFieldSize(TypeField, type) + ProtobufWriter.GetBytesFieldSize(DataField, dataLength);

    private static IdentityError Map(ProtobufError error) => error switch
    {
        ProtobufError.Truncated or ProtobufError.LengthOutOfRange => IdentityError.Truncated,
        _ => IdentityError.MalformedProtobuf,
    };
}
