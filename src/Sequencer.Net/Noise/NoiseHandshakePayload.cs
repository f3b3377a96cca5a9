using System.Text;
using Sequencer.Core.Formats;

namespace Sequencer.Net.Noise;

/// <summary>
/// The libp2p handshake payload that messages 2 and 3 carry, encrypted (libp2p noise spec):
/// <code>
/// message NoiseHandshakePayload { bytes identity_key = 1; bytes identity_sig = 2; NoiseExtensions extensions = 4; }
/// message NoiseExtensions { repeated bytes webtransport_certhashes = 1; repeated string stream_muxers = 2; }
/// </code>
/// <c>identity_key</c> is the sender's <c>PublicKey</c> protobuf and <c>identity_sig</c> its signature of
/// <c>"noise-libp2p-static-key:" ‖ Noise static public key</c>. Decoding gives spans over the input (the two
/// required fields) and the muxer list; unknown fields are skipped, as protobuf requires (older peers send a field 3).
/// </summary>
internal readonly ref struct NoiseHandshakePayload
{
    /// <summary>More muxers than anyone offers; a longer list is refused rather than allocated.</summary>
    public const int MaxStreamMuxers = 32;

    private const int IdentityKeyField = 1;
    private const int IdentitySignatureField = 2;
    private const int ExtensionsField = 4;
    private const int StreamMuxersField = 2;

    public NoiseHandshakePayload(ReadOnlySpan<byte> identityKey, ReadOnlySpan<byte> identitySignature, IReadOnlyList<string> streamMuxers)
    {
        IdentityKey = identityKey;
        IdentitySignature = identitySignature;
        StreamMuxers = streamMuxers;
    }

    /// <summary>The sender's <c>PublicKey</c> protobuf.</summary>
    public ReadOnlySpan<byte> IdentityKey { get; }

    public ReadOnlySpan<byte> IdentitySignature { get; }

    /// <summary>The muxers the sender supports, in its order of preference (empty when it lists none).</summary>
    public IReadOnlyList<string> StreamMuxers { get; }

    public int GetSize() =>
        ProtobufWriter.GetBytesFieldSize(IdentityKeyField, IdentityKey.Length)
        + ProtobufWriter.GetBytesFieldSize(IdentitySignatureField, IdentitySignature.Length)
        + ProtobufWriter.GetBytesFieldSize(ExtensionsField, GetExtensionsSize());

    /// <summary>Writes fields 1, 2, 4 in order (as js-libp2p does, extensions even when empty); returns the length.</summary>
    public int Write(Span<byte> destination)
    {
        var writer = new ProtobufWriter(destination);
        writer.WriteBytesField(IdentityKeyField, IdentityKey);
        writer.WriteBytesField(IdentitySignatureField, IdentitySignature);
        writer.WriteBytesFieldHeader(ExtensionsField, GetExtensionsSize());
        // Written once per node (the payload is signed once), so the encoding's small arrays do not matter.
        foreach (var muxer in StreamMuxers)
            writer.WriteBytesField(StreamMuxersField, Encoding.UTF8.GetBytes(muxer));
        return writer.Written;
    }

    /// <summary>
    /// Decodes a payload. Fails with <see cref="NoiseError.MalformedPayload"/> (and says why in
    /// <paramref name="failure"/>) for bad protobuf, a missing or repeated key or signature, a muxer id that is not
    /// UTF-8, or more than <see cref="MaxStreamMuxers"/> muxers.
    /// </summary>
    public static NoiseError TryRead(ReadOnlySpan<byte> bytes, out NoiseHandshakePayload payload, out string failure)
    {
        payload = default;
        failure = "";
        var reader = new ProtobufReader(bytes);
        ReadOnlySpan<byte> identityKey = default, signature = default;
        bool hasKey = false, hasSignature = false, hasExtensions = false;
        IReadOnlyList<string> muxers = [];
        while (reader.TryReadTag(out var field, out var wireType))
        {
            switch (field)
            {
                case IdentityKeyField when !hasKey:
                    hasKey = reader.TryReadBytes(wireType, out identityKey);
                    break;
                case IdentitySignatureField when !hasSignature:
                    hasSignature = reader.TryReadBytes(wireType, out signature);
                    break;
                case ExtensionsField when !hasExtensions:
                    if (!reader.TryReadBytes(wireType, out var extensions))
                        break;
                    hasExtensions = true;
                    if (!TryReadStreamMuxers(extensions, out muxers, out failure))
                        return NoiseError.MalformedPayload;
                    break;
                case IdentityKeyField or IdentitySignatureField or ExtensionsField:
                    failure = $"field {field} appears twice";
                    return NoiseError.MalformedPayload;
                default:
                    reader.TrySkip(wireType);
                    break;
            }
        }
        if (reader.Error != ProtobufError.None)
        {
            failure = $"unreadable protobuf ({reader.Error} at byte {reader.Position} of {bytes.Length})";
            return NoiseError.MalformedPayload;
        }
        if (!hasKey || !hasSignature)
        {
            failure = $"the {(hasKey ? "identity_sig" : "identity_key")} field is missing";
            return NoiseError.MalformedPayload;
        }
        payload = new NoiseHandshakePayload(identityKey, signature, muxers);
        return NoiseError.None;
    }

    private int GetExtensionsSize()
    {
        var size = 0;
        foreach (var muxer in StreamMuxers)
            size += ProtobufWriter.GetBytesFieldSize(StreamMuxersField, Encoding.UTF8.GetByteCount(muxer));
        return size;
    }

    private static bool TryReadStreamMuxers(ReadOnlySpan<byte> extensions, out IReadOnlyList<string> muxers, out string failure)
    {
        muxers = [];
        failure = "";
        List<string>? list = null;
        var reader = new ProtobufReader(extensions);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field != StreamMuxersField)
            {
                // webtransport_certhashes (field 1) only matter to WebTransport; anything else is unknown.
                reader.TrySkip(wireType);
                continue;
            }
            if (!reader.TryReadBytes(wireType, out var utf8))
                break;
            list ??= [];
            if (list.Count == MaxStreamMuxers)
            {
                failure = $"more than {MaxStreamMuxers} stream muxers";
                return false;
            }
            if (!System.Text.Unicode.Utf8.IsValid(utf8))
            {
                failure = $"stream muxer {list.Count} ({utf8.Length} bytes) is not UTF-8";
                return false;
            }
            list.Add(Encoding.UTF8.GetString(utf8));
        }
        if (reader.Error != ProtobufError.None)
        {
            failure = $"unreadable extensions ({reader.Error} at byte {reader.Position} of {extensions.Length})";
            return false;
        }
        if (list is not null)
            muxers = list;
        return true;
    }
}
