using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Unicode;
using Sequencer.Core.Formats;
using Sequencer.Core.Identity;

namespace Sequencer.Net.Addressing;

/// <summary>
/// The multiaddr text and binary codecs (multiformats/multiaddr). Binary: each component is the protocol code as an
/// unsigned varint, then the value — fixed size for ip4 (4), ip6 (16) and tcp (2, big endian), or a varint length and
/// the bytes for dns names and p2p. Text: "/name/value" per component. Both directions produce the binary form, which
/// is the canonical one: text is re-rendered from it, so "/ipfs/…" and "/tcp/0080" come back as "/p2p/…" and "/tcp/80".
/// </summary>
internal static class MultiaddrCodec
{
    private const int MaxDnsNameLength = 255;

    public static string NameOf(MultiaddrProtocol protocol) => protocol switch
    {
        MultiaddrProtocol.Ip4 => "ip4",
        MultiaddrProtocol.Tcp => "tcp",
        MultiaddrProtocol.Ip6 => "ip6",
        MultiaddrProtocol.Dns => "dns",
        MultiaddrProtocol.Dns4 => "dns4",
        MultiaddrProtocol.Dns6 => "dns6",
        MultiaddrProtocol.DnsAddr => "dnsaddr",
        MultiaddrProtocol.P2p => "p2p",
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "not a multiaddr protocol"),
    };

    /// <summary>Encodes <paramref name="text"/> into <paramref name="destination"/> (at least <see cref="Multiaddr.MaxEncodedLength"/> bytes).</summary>
    public static MultiaddrError TryEncodeText(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        if (text.Length > Multiaddr.MaxTextLength)
            return MultiaddrError.TooLong;
        if (text.IsEmpty)
            return MultiaddrError.Empty;
        if (text[0] != '/')
            return MultiaddrError.MissingLeadingSlash;
        var rest = text[1..];
        if (!rest.IsEmpty && rest[^1] == '/')
            rest = rest[..^1];
        if (rest.IsEmpty)
            return MultiaddrError.Empty;

        // Segments alternate name, value; with the one trailing '/' trimmed, any empty segment is an error.
        var expectName = true;
        var protocol = default(MultiaddrProtocol);
        foreach (var range in rest.Split('/'))
        {
            var segment = rest[range];
            if (expectName)
            {
                if (segment.IsEmpty)
                    return MultiaddrError.EmptyComponent;
                if (!TryLookupName(segment, out protocol))
                    return MultiaddrError.UnknownProtocol;
            }
            else
            {
                var error = TryEncodeComponent(protocol, segment, destination[written..], out var componentLength);
                if (error != MultiaddrError.None)
                    return error;
                written += componentLength;
            }
            expectName = !expectName;
        }
        if (!expectName)
            return MultiaddrError.MissingValue;
        return MultiaddrError.None;
    }

    /// <summary>Checks <paramref name="bytes"/> and lists its components (as offsets into it).</summary>
    public static MultiaddrError TryDecode(ReadOnlySpan<byte> bytes, List<(MultiaddrProtocol Protocol, int Offset, int Length)> components)
    {
        if (bytes.IsEmpty)
            return MultiaddrError.Empty;
        if (bytes.Length > Multiaddr.MaxEncodedLength)
            return MultiaddrError.TooLong;
        var position = 0;
        while (position < bytes.Length)
        {
            var status = UnsignedVarint.TryRead(bytes[position..], out var code, out var codeLength);
            if (status == OperationStatus.NeedMoreData)
                return MultiaddrError.Truncated;
            if (status != OperationStatus.Done)
                return MultiaddrError.InvalidVarint;
            position += codeLength;
            if (!TryLookupCode(code, out var protocol))
                return MultiaddrError.UnknownProtocol;

            int valueLength;
            var fixedSize = FixedValueSize(protocol);
            if (fixedSize > 0)
            {
                valueLength = fixedSize;
            }
            else
            {
                status = UnsignedVarint.TryRead(bytes[position..], out var length, out var lengthLength);
                if (status == OperationStatus.NeedMoreData)
                    return MultiaddrError.Truncated;
                if (status != OperationStatus.Done)
                    return MultiaddrError.InvalidVarint;
                position += lengthLength;
                if (length > (ulong)(bytes.Length - position))
                    return MultiaddrError.Truncated;
                valueLength = (int)length;
            }
            if (valueLength > bytes.Length - position)
                return MultiaddrError.Truncated;

            var error = ValidateValue(protocol, bytes.Slice(position, valueLength));
            if (error != MultiaddrError.None)
                return error;
            components.Add((protocol, position, valueLength));
            position += valueLength;
        }
        return MultiaddrError.None;
    }

    public static string Format(IReadOnlyList<MultiaddrComponent> components)
    {
        var text = new StringBuilder();
        foreach (var component in components)
            text.Append('/').Append(NameOf(component.Protocol)).Append('/').Append(component.ValueToString());
        return text.ToString();
    }

    private static bool TryLookupName(ReadOnlySpan<char> name, out MultiaddrProtocol protocol)
    {
        protocol = name switch
        {
            "ip4" => MultiaddrProtocol.Ip4,
            "tcp" => MultiaddrProtocol.Tcp,
            "ip6" => MultiaddrProtocol.Ip6,
            "dns" => MultiaddrProtocol.Dns,
            "dns4" => MultiaddrProtocol.Dns4,
            "dns6" => MultiaddrProtocol.Dns6,
            "dnsaddr" => MultiaddrProtocol.DnsAddr,
            "p2p" or "ipfs" => MultiaddrProtocol.P2p,
            _ => 0,
        };
        return protocol != 0;
    }

    private static bool TryLookupCode(ulong code, out MultiaddrProtocol protocol)
    {
        protocol = code switch
        {
            4 => MultiaddrProtocol.Ip4,
            6 => MultiaddrProtocol.Tcp,
            41 => MultiaddrProtocol.Ip6,
            53 => MultiaddrProtocol.Dns,
            54 => MultiaddrProtocol.Dns4,
            55 => MultiaddrProtocol.Dns6,
            56 => MultiaddrProtocol.DnsAddr,
            421 => MultiaddrProtocol.P2p,
            _ => 0,
        };
        return protocol != 0;
    }

    private static int FixedValueSize(MultiaddrProtocol protocol) => protocol switch
    {
        MultiaddrProtocol.Ip4 => 4,
        MultiaddrProtocol.Ip6 => 16,
        MultiaddrProtocol.Tcp => 2,
        _ => 0,
    };

    private static MultiaddrError TryEncodeComponent(MultiaddrProtocol protocol, ReadOnlySpan<char> value, Span<byte> destination, out int written)
    {
        written = 0;
        Span<byte> scratch = stackalloc byte[MaxDnsNameLength];
        int valueLength;
        switch (protocol)
        {
            case MultiaddrProtocol.Ip4:
                if (!TryParseIp4(value, scratch))
                    return MultiaddrError.InvalidIp4;
                valueLength = 4;
                break;
            case MultiaddrProtocol.Ip6:
                if (!TryParseIp6(value, scratch))
                    return MultiaddrError.InvalidIp6;
                valueLength = 16;
                break;
            case MultiaddrProtocol.Tcp:
                if (!TryParsePort(value, out var port))
                    return MultiaddrError.InvalidPort;
                BinaryPrimitives.WriteUInt16BigEndian(scratch, port);
                valueLength = 2;
                break;
            case MultiaddrProtocol.P2p:
                if (!PeerId.TryParse(value, out var peer))
                    return MultiaddrError.InvalidPeerId;
                peer.Bytes.CopyTo(scratch);
                valueLength = peer.Bytes.Length;
                break;
            default:
                if (value.IsEmpty || Encoding.UTF8.GetByteCount(value) > MaxDnsNameLength)
                    return MultiaddrError.InvalidDnsName;
                valueLength = Encoding.UTF8.GetBytes(value, scratch);
                if (ValidateValue(protocol, scratch[..valueLength]) != MultiaddrError.None)
                    return MultiaddrError.InvalidDnsName;
                break;
        }

        var needed = UnsignedVarint.GetLength((ulong)protocol) + valueLength
            + (FixedValueSize(protocol) == 0 ? UnsignedVarint.GetLength((ulong)valueLength) : 0);
        if (needed > destination.Length)
            return MultiaddrError.TooLong;
        written = UnsignedVarint.Write((ulong)protocol, destination);
        if (FixedValueSize(protocol) == 0)
            written += UnsignedVarint.Write((ulong)valueLength, destination[written..]);
        scratch[..valueLength].CopyTo(destination[written..]);
        written += valueLength;
        return MultiaddrError.None;
    }

    private static MultiaddrError ValidateValue(MultiaddrProtocol protocol, ReadOnlySpan<byte> value) => protocol switch
    {
        MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6 or MultiaddrProtocol.Tcp => MultiaddrError.None,
        MultiaddrProtocol.P2p => PeerId.TryFromBytes(value, out _) ? MultiaddrError.None : MultiaddrError.InvalidPeerId,
        _ => value.Length is > 0 and <= MaxDnsNameLength && Utf8.IsValid(value) && !value.Contains((byte)'/')
            ? MultiaddrError.None
            : MultiaddrError.InvalidDnsName,
    };

    /// <summary>Dotted quad, decimal, no leading zeros (which some parsers read as octal), nothing else.</summary>
    private static bool TryParseIp4(ReadOnlySpan<char> text, Span<byte> destination)
    {
        for (var part = 0; part < 4; part++)
        {
            if (part > 0)
            {
                if (text.IsEmpty || text[0] != '.')
                    return false;
                text = text[1..];
            }
            var digits = 0;
            var value = 0;
            while (digits < text.Length && digits < 4 && char.IsAsciiDigit(text[digits]))
            {
                value = value * 10 + (text[digits] - '0');
                digits++;
            }
            if (digits == 0 || digits > 3 || value > 255 || (digits > 1 && text[0] == '0'))
                return false;
            destination[part] = (byte)value;
            text = text[digits..];
        }
        return text.IsEmpty;
    }

    /// <summary>RFC 4291 text (with the embedded-ip4 form); no zone, no brackets, no port.</summary>
    private static bool TryParseIp6(ReadOnlySpan<char> text, Span<byte> destination)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c) && c != ':' && c != '.')
                return false;
        }
        if (!IPAddress.TryParse(text, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            return false;
        return address.TryWriteBytes(destination, out _);
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out ushort port)
    {
        port = 0;
        if (text.IsEmpty || text.Length > 5)
            return false;
        var value = 0;
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
                return false;
            value = value * 10 + (c - '0');
        }
        if (value > ushort.MaxValue)
            return false;
        port = (ushort)value;
        return true;
    }
}
