using System.Buffers.Binary;
using System.Net;
using System.Text;
using Sequencer.Core.Identity;

namespace Sequencer.Net.Addressing;

/// <summary>
/// One protocol and its value inside a <see cref="Multiaddr"/>. <see cref="Value"/> is the binary form (4 bytes for
/// ip4, 16 for ip6, a big-endian u16 for tcp, UTF-8 for dns names, the peer id's multihash for p2p), a slice of the
/// address's own bytes; it is validated when the address is built.
/// </summary>
public readonly struct MultiaddrComponent
{
    internal MultiaddrComponent(MultiaddrProtocol protocol, ReadOnlyMemory<byte> value)
    {
        Protocol = protocol;
        Value = value;
    }

    public MultiaddrProtocol Protocol { get; }

    public ReadOnlyMemory<byte> Value { get; }

    /// <summary>The address for ip4 and ip6 components.</summary>
    public IPAddress ToIPAddress() => Protocol is MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6
        ? new IPAddress(Value.Span)
        : throw new InvalidOperationException($"/{MultiaddrCodec.NameOf(Protocol)} is not an IP address component");

    /// <summary>The port for tcp components.</summary>
    public int ToPort() => Protocol == MultiaddrProtocol.Tcp
        ? BinaryPrimitives.ReadUInt16BigEndian(Value.Span)
        : throw new InvalidOperationException($"/{MultiaddrCodec.NameOf(Protocol)} is not a port component");

    /// <summary>The peer id of a p2p component.</summary>
    public PeerId ToPeerId() => Protocol == MultiaddrProtocol.P2p && PeerId.TryFromBytes(Value.Span, out var peer)
        ? peer
        : throw new InvalidOperationException($"/{MultiaddrCodec.NameOf(Protocol)} is not a peer id component");

    /// <summary>The value in its text form (the part after the protocol name).</summary>
    public string ValueToString()
    {
        var value = Value.Span;
        return Protocol switch
        {
            MultiaddrProtocol.Ip4 or MultiaddrProtocol.Ip6 => new IPAddress(value).ToString(),
            MultiaddrProtocol.Tcp => BinaryPrimitives.ReadUInt16BigEndian(value).ToString(System.Globalization.CultureInfo.InvariantCulture),
            MultiaddrProtocol.P2p => ToPeerId().ToString(),
            _ => Encoding.UTF8.GetString(value),
        };
    }

    public override string ToString() => $"/{MultiaddrCodec.NameOf(Protocol)}/{ValueToString()}";
}
