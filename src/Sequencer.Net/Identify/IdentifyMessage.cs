using System.Text;
using System.Text.Unicode;
using Sequencer.Core.Formats;
using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;

namespace Sequencer.Net.Identify;

/// <summary>
/// The identify message (libp2p identify spec):
/// <code>
/// message Identify {
///   optional string protocolVersion = 5;  optional string agentVersion = 6;  optional bytes publicKey = 1;
///   repeated bytes listenAddrs = 2;        optional bytes observedAddr = 4;   repeated string protocols = 3;
///   optional bytes signedPeerRecord = 8;
/// }
/// </code>
/// Encoded in the order js-libp2p uses (5, 6, 1, 2, 4, 3, 8). Decoding is lenient where the spec is: unknown fields
/// are skipped, a repeated singular field keeps its last value, and an address this node cannot parse (a transport
/// it does not speak, such as QUIC or WebSockets) is skipped and counted rather than failing the whole message.
/// </summary>
public sealed class IdentifyMessage
{
    private const int PublicKeyField = 1;
    private const int ListenAddressesField = 2;
    private const int ProtocolsField = 3;
    private const int ObservedAddressField = 4;
    private const int ProtocolVersionField = 5;
    private const int AgentVersionField = 6;
    private const int SignedPeerRecordField = 8;

    public string? ProtocolVersion { get; init; }

    public string? AgentVersion { get; init; }

    /// <summary>The sender's <c>PublicKey</c> protobuf (empty when absent); see <see cref="TryGetPublicKey"/>.</summary>
    public ReadOnlyMemory<byte> PublicKey { get; init; }

    public IReadOnlyList<Multiaddr> ListenAddresses { get; init; } = [];

    /// <summary>The address the sender sees this connection coming from (null when absent or unreadable).</summary>
    public Multiaddr? ObservedAddress { get; init; }

    /// <summary>The protocols the sender accepts streams for.</summary>
    public IReadOnlyList<string> Protocols { get; init; } = [];

    /// <summary>The signed peer record envelope, kept as received (empty when absent); this node neither checks nor sends one.</summary>
    public ReadOnlyMemory<byte> SignedPeerRecord { get; init; }

    /// <summary>Addresses (listen or observed) in the received message that could not be parsed and were skipped.</summary>
    public int SkippedAddresses { get; init; }

    /// <summary>The message this node sends: its key, addresses and protocols, with our protocol and agent versions.</summary>
    public static IdentifyMessage ForLocalPeer(PeerPublicKey publicKey, IReadOnlyList<Multiaddr> listenAddresses,
        Multiaddr? observedAddress, IReadOnlyList<string> protocols)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        ArgumentNullException.ThrowIfNull(listenAddresses);
        ArgumentNullException.ThrowIfNull(protocols);
        return new IdentifyMessage
        {
            ProtocolVersion = IdentifyProtocol.ProtocolVersion,
            AgentVersion = IdentifyProtocol.AgentVersion,
            PublicKey = publicKey.ToProtobuf(),
            ListenAddresses = listenAddresses,
            ObservedAddress = observedAddress,
            Protocols = protocols,
        };
    }

    /// <summary>The sender's public key, when the field is present and holds a supported key.</summary>
    public bool TryGetPublicKey(out PeerPublicKey? key)
    {
        key = null;
        return !PublicKey.IsEmpty && PeerPublicKey.TryDecodeProtobuf(PublicKey.Span, out key) == IdentityError.None;
    }

    public int GetSize()
    {
        var size = 0;
        if (ProtocolVersion is not null)
            size += ProtobufWriter.GetBytesFieldSize(ProtocolVersionField, Encoding.UTF8.GetByteCount(ProtocolVersion));
        if (AgentVersion is not null)
            size += ProtobufWriter.GetBytesFieldSize(AgentVersionField, Encoding.UTF8.GetByteCount(AgentVersion));
        if (!PublicKey.IsEmpty)
            size += ProtobufWriter.GetBytesFieldSize(PublicKeyField, PublicKey.Length);
        foreach (var address in ListenAddresses)
            size += ProtobufWriter.GetBytesFieldSize(ListenAddressesField, address.Bytes.Length);
        if (ObservedAddress is not null)
            size += ProtobufWriter.GetBytesFieldSize(ObservedAddressField, ObservedAddress.Bytes.Length);
        foreach (var protocol in Protocols)
            size += ProtobufWriter.GetBytesFieldSize(ProtocolsField, Encoding.UTF8.GetByteCount(protocol));
        if (!SignedPeerRecord.IsEmpty)
            size += ProtobufWriter.GetBytesFieldSize(SignedPeerRecordField, SignedPeerRecord.Length);
        return size;
    }

    /// <summary>Writes the protobuf (no length prefix) and returns its length, <see cref="GetSize"/>.</summary>
    public int Write(Span<byte> destination)
    {
        var writer = new ProtobufWriter(destination);
        if (ProtocolVersion is not null)
            writer.WriteBytesField(ProtocolVersionField, Encoding.UTF8.GetBytes(ProtocolVersion));
        if (AgentVersion is not null)
            writer.WriteBytesField(AgentVersionField, Encoding.UTF8.GetBytes(AgentVersion));
        if (!PublicKey.IsEmpty)
            writer.WriteBytesField(PublicKeyField, PublicKey.Span);
        foreach (var address in ListenAddresses)
            writer.WriteBytesField(ListenAddressesField, address.Bytes.Span);
        if (ObservedAddress is not null)
            writer.WriteBytesField(ObservedAddressField, ObservedAddress.Bytes.Span);
        foreach (var protocol in Protocols)
            writer.WriteBytesField(ProtocolsField, Encoding.UTF8.GetBytes(protocol));
        if (!SignedPeerRecord.IsEmpty)
            writer.WriteBytesField(SignedPeerRecordField, SignedPeerRecord.Span);
        return writer.Written;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[GetSize()];
        Write(bytes);
        return bytes;
    }

    /// <summary>
    /// Decodes a message body. Malformed protobuf and non-UTF-8 strings give a typed error (and a description in
    /// <paramref name="failure"/>), never an exception; unparseable addresses are skipped (see the class remarks).
    /// </summary>
    public static IdentifyError TryDecode(ReadOnlySpan<byte> bytes, out IdentifyMessage? message, out string failure)
    {
        message = null;
        failure = "";
        string? protocolVersion = null, agentVersion = null;
        byte[]? publicKey = null, signedPeerRecord = null;
        Multiaddr? observed = null;
        var listen = new List<Multiaddr>();
        var protocols = new List<string>();
        var skipped = 0;
        var reader = new ProtobufReader(bytes);
        while (reader.TryReadTag(out var field, out var wireType))
        {
            if (field is not (ProtocolVersionField or AgentVersionField or PublicKeyField or ListenAddressesField
                or ObservedAddressField or ProtocolsField or SignedPeerRecordField))
            {
                reader.TrySkip(wireType);
                continue;
            }
            if (!reader.TryReadBytes(wireType, out var value))
                break;
            switch (field)
            {
                case ProtocolVersionField:
                case AgentVersionField:
                case ProtocolsField:
                    if (!Utf8.IsValid(value))
                    {
                        failure = $"field {field} ({value.Length} bytes at byte {reader.Position - value.Length}) is not UTF-8";
                        return IdentifyError.InvalidString;
                    }
                    var text = Encoding.UTF8.GetString(value);
                    if (field == ProtocolVersionField)
                        protocolVersion = text;
                    else if (field == AgentVersionField)
                        agentVersion = text;
                    else
                        protocols.Add(text);
                    break;
                case PublicKeyField:
                    publicKey = value.ToArray();
                    break;
                case SignedPeerRecordField:
                    signedPeerRecord = value.ToArray();
                    break;
                case ListenAddressesField:
                    if (Multiaddr.TryDecode(value, out var address, out _))
                        listen.Add(address);
                    else
                        skipped++;
                    break;
                case ObservedAddressField:
                    if (Multiaddr.TryDecode(value, out var observedAddress, out _))
                    {
                        observed = observedAddress;
                    }
                    else
                    {
                        observed = null;
                        skipped++;
                    }
                    break;
            }
        }
        if (reader.Error != ProtobufError.None)
        {
            failure = $"unreadable protobuf ({reader.Error} at byte {reader.Position} of {bytes.Length})";
            return IdentifyError.MalformedProtobuf;
        }
        message = new IdentifyMessage
        {
            ProtocolVersion = protocolVersion,
            AgentVersion = agentVersion,
            PublicKey = publicKey,
            ListenAddresses = listen,
            ObservedAddress = observed,
            Protocols = protocols,
            SignedPeerRecord = signedPeerRecord,
            SkippedAddresses = skipped,
        };
        return IdentifyError.None;
    }
}
