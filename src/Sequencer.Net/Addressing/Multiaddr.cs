using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using Sequencer.Core.Formats;
using Sequencer.Core.Identity;

namespace Sequencer.Net.Addressing;

/// <summary>
/// A libp2p address (multiformats multiaddr), e.g. <c>/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW…</c>. Immutable; held in
/// its binary form, which is validated on construction — an instance never contains an unknown protocol or a malformed
/// value. Equality is byte equality of the binary form.
/// </summary>
public sealed class Multiaddr : IEquatable<Multiaddr>
{
    /// <summary>Bound on the binary form: real addresses are a few dozen bytes; this refuses abuse, not use.</summary>
    public const int MaxEncodedLength = 1024;

    /// <summary>Bound on the text form.</summary>
    public const int MaxTextLength = 2048;

    private readonly byte[] _bytes;
    private readonly MultiaddrComponent[] _components;
    private string? _text;

    private Multiaddr(byte[] bytes, List<(MultiaddrProtocol Protocol, int Offset, int Length)> components)
    {
        _bytes = bytes;
        _components = new MultiaddrComponent[components.Count];
        for (var i = 0; i < components.Count; i++)
        {
            var (protocol, offset, length) = components[i];
            _components[i] = new MultiaddrComponent(protocol, bytes.AsMemory(offset, length));
        }
    }

    /// <summary>The binary form (what identify and the peer store carry).</summary>
    public ReadOnlyMemory<byte> Bytes => _bytes;

    public IReadOnlyList<MultiaddrComponent> Components => _components;

    public static Multiaddr Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!TryParse(text, out var address, out var error))
            throw new MultiaddrException(error, $"'{Truncate(text)}' is not a valid multiaddr: {error}");
        return address;
    }

    public static bool TryParse([NotNullWhen(true)] string? text, [NotNullWhen(true)] out Multiaddr? address)
        => TryParse(text, out address, out _);

    public static bool TryParse(ReadOnlySpan<char> text, [NotNullWhen(true)] out Multiaddr? address, out MultiaddrError error)
    {
        address = null;
        Span<byte> encoded = stackalloc byte[MaxEncodedLength];
        error = MultiaddrCodec.TryEncodeText(text, encoded, out var written);
        return error == MultiaddrError.None && TryDecode(encoded[..written], out address, out error);
    }

    public static Multiaddr FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (!TryDecode(bytes, out var address, out var error))
            throw new MultiaddrException(error, $"{bytes.Length} bytes are not a valid binary multiaddr: {error}");
        return address;
    }

    public static bool TryDecode(ReadOnlySpan<byte> bytes, [NotNullWhen(true)] out Multiaddr? address, out MultiaddrError error)
    {
        address = null;
        var components = new List<(MultiaddrProtocol, int, int)>(4);
        error = MultiaddrCodec.TryDecode(bytes, components);
        if (error != MultiaddrError.None)
            return false;
        address = new Multiaddr(bytes.ToArray(), components);
        return true;
    }

    /// <summary><c>/ip4/a.b.c.d/tcp/port</c> or <c>/ip6/…/tcp/port</c>; an IPv4-mapped IPv6 address becomes ip4.</summary>
    public static Multiaddr FromIPEndPoint(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        var ip4 = address.AddressFamily == AddressFamily.InterNetwork;
        if (!ip4 && address.AddressFamily != AddressFamily.InterNetworkV6)
            throw new ArgumentException($"{address.AddressFamily} is not an IP address family", nameof(endPoint));
        Span<byte> encoded = stackalloc byte[1 + 16 + 1 + 2];
        encoded[0] = (byte)(ip4 ? MultiaddrProtocol.Ip4 : MultiaddrProtocol.Ip6);
        address.TryWriteBytes(encoded[1..], out var addressLength);
        var position = 1 + addressLength;
        encoded[position++] = (byte)MultiaddrProtocol.Tcp;
        encoded[position++] = (byte)(endPoint.Port >> 8);
        encoded[position++] = (byte)endPoint.Port;
        return FromBytes(encoded[..position]);
    }

    /// <summary>
    /// The TCP endpoint named by a leading <c>/ip4|ip6/…/tcp/…</c> (what follows, such as /p2p, is ignored); false for
    /// any other shape, including dns names, which need resolving first.
    /// </summary>
    public bool TryGetIPEndPoint([NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (_components.Length < 2
            || _components[0].Protocol is not (MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6)
            || _components[1].Protocol != MultiaddrProtocol.Tcp)
            return false;
        endPoint = new IPEndPoint(_components[0].ToIPAddress(), _components[1].ToPort());
        return true;
    }

    /// <summary>The peer of the last component when it is /p2p (the peer this address belongs to).</summary>
    public bool TryGetPeerId(out PeerId peer)
    {
        peer = default;
        if (_components.Length == 0 || _components[^1].Protocol != MultiaddrProtocol.P2p)
            return false;
        peer = _components[^1].ToPeerId();
        return true;
    }

    /// <summary>This address followed by <paramref name="inner"/>'s components.</summary>
    public Multiaddr Encapsulate(Multiaddr inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var combined = new byte[_bytes.Length + inner._bytes.Length];
        _bytes.CopyTo(combined, 0);
        inner._bytes.CopyTo(combined, _bytes.Length);
        return FromBytes(combined);
    }

    /// <summary>This address with a trailing <c>/p2p/&lt;peer&gt;</c> (replacing one already there).</summary>
    public Multiaddr WithPeerId(PeerId peer)
    {
        if (peer.IsEmpty)
            throw new ArgumentException("the empty peer id names no peer", nameof(peer));
        var prefix = WithoutPeerId()._bytes;
        var multihash = peer.Bytes;
        var code = (ulong)MultiaddrProtocol.P2p;
        var combined = new byte[prefix.Length + UnsignedVarint.GetLength(code) + UnsignedVarint.GetLength((ulong)multihash.Length) + multihash.Length];
        prefix.CopyTo(combined, 0);
        var position = prefix.Length + UnsignedVarint.Write(code, combined.AsSpan(prefix.Length));
        position += UnsignedVarint.Write((ulong)multihash.Length, combined.AsSpan(position));
        multihash.CopyTo(combined.AsSpan(position));
        return FromBytes(combined);
    }

    /// <summary>This address without its trailing /p2p component (the transport part), or itself when it has none.</summary>
    public Multiaddr WithoutPeerId()
    {
        if (_components.Length < 2 || _components[^1].Protocol != MultiaddrProtocol.P2p)
            return this;
        // The component's value is a slice of _bytes; its header (code and length varints) sits just before it.
        var valueOffset = _bytes.Length - _components[^1].Value.Length;
        var headerLength = UnsignedVarint.GetLength((ulong)MultiaddrProtocol.P2p) + UnsignedVarint.GetLength((ulong)_components[^1].Value.Length);
        return FromBytes(_bytes.AsSpan(0, valueOffset - headerLength));
    }

    public byte[] ToArray() => (byte[])_bytes.Clone();

    public override string ToString() => _text ??= MultiaddrCodec.Format(_components);

    public bool Equals(Multiaddr? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Multiaddr);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public static bool operator ==(Multiaddr? left, Multiaddr? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(Multiaddr? left, Multiaddr? right) => !(left == right);

    private static string Truncate(string text) => text.Length <= 100 ? text : string.Concat(text.AsSpan(0, 100), "…");
}
