using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;
using Sequencer.Net.Identify;
using Sequencer.Net.Tests.Noise;

namespace Sequencer.Net.Tests.Identify;

/// <summary>The identify message codec, against the messages of the js-libp2p capture (shared/interop/capture.txt).</summary>
public sealed class IdentifyMessageTests
{
    private static readonly string[] s_jsProtocols = ["/floodsub/1.0.0", "/ipfs/id/1.0.0", "/meshsub/1.0.0", "/meshsub/1.1.0", "/meshsub/1.2.0"];

    // The first 64 bytes of A's message (uvarint length 0x9403 = 404) as the capture dumps them.
    private const string CapturedPrefixOfA =
        "2a0a697066732f302e312e30321d6a732d6c69627032702f322e31302e30206e6f64652f32302e32302e320a2508021221034f355bdcb7cc0af728ef3cceb961";

    /// <summary>
    /// A's message as the capture lists it, field by field. The capture truncates the 177-byte signedPeerRecord, so
    /// it is left out: the rest must be the first 404 − (3 + 177) = 224 bytes.
    /// </summary>
    private static IdentifyMessage CapturedMessageOfA() => new()
    {
        ProtocolVersion = "ipfs/0.1.0",
        AgentVersion = "js-libp2p/2.10.0 node/20.20.2",
        PublicKey = Convert.FromHexString("08021221034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa"),
        ListenAddresses = [Multiaddr.FromBytes(Convert.FromHexString("047f000001069471"))],
        ObservedAddress = Multiaddr.FromBytes(Convert.FromHexString(
            "047f00000106ea5ea50326002408011220a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0")),
        Protocols = s_jsProtocols,
    };

    [Fact]
    public void TheCapturedMessageOfAEncodesAsJsDid()
    {
        var bytes = CapturedMessageOfA().ToArray();
        Assert.Equal(404 - (3 + 177), bytes.Length);
        Assert.Equal(Convert.FromHexString(CapturedPrefixOfA), bytes[..64]);
    }

    [Fact]
    public void TheCapturedMessageOfADecodesAsTheCaptureDescribesIt()
    {
        var bytes = CapturedMessageOfA().ToArray();
        Assert.Equal(IdentifyError.None, IdentifyMessage.TryDecode(bytes, out var message, out _));
        Assert.Equal("ipfs/0.1.0", message!.ProtocolVersion);
        Assert.Equal("js-libp2p/2.10.0 node/20.20.2", message.AgentVersion);
        Assert.True(message.TryGetPublicKey(out var key));
        Assert.Equal("16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3", key!.ToPeerId().ToString());
        Assert.Equal(["/ip4/127.0.0.1/tcp/38001"], message.ListenAddresses.Select(a => a.ToString()));
        Assert.Equal("/ip4/127.0.0.1/tcp/59998/p2p/12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns", message.ObservedAddress!.ToString());
        Assert.Equal(s_jsProtocols, message.Protocols);
        Assert.Equal(0, message.SkippedAddresses);
        Assert.True(message.SignedPeerRecord.IsEmpty);
    }

    [Fact]
    public void TheCapturedMessageOfBHasTheAnnouncedLength()
    {
        var message = new IdentifyMessage
        {
            ProtocolVersion = "ipfs/0.1.0",
            AgentVersion = "js-libp2p/2.10.0 node/20.20.2",
            PublicKey = Convert.FromHexString("08011220a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0"),
            ListenAddresses = [Multiaddr.Parse("/ip4/127.0.0.1/tcp/37167")],
            ObservedAddress = Multiaddr.Parse("/ip4/127.0.0.1/tcp/33203/p2p/16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3"),
            Protocols = s_jsProtocols,
        };
        // uvarint 0x8c03 = 396, of which the (truncated) 169-byte signedPeerRecord field takes 3 + 169.
        Assert.Equal(396 - (3 + 169), message.GetSize());
        Assert.Equal(Convert.FromHexString("047f00000106912f"), message.ListenAddresses[0].Bytes.ToArray());
        Assert.Equal(Convert.FromHexString("047f0000010681b3a50327002508021221034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa"),
            message.ObservedAddress.Bytes.ToArray());
    }

    [Fact]
    public void OurMessageCarriesOurVersionsKeyAddressesAndProtocols()
    {
        using var key = TestIdentities.Ed25519Fixed();
        var listen = new[] { Multiaddr.Parse("/ip4/10.0.0.1/tcp/4001"), Multiaddr.Parse("/ip6/::1/tcp/4001") };
        var observed = Multiaddr.Parse("/ip4/127.0.0.1/tcp/50000");
        var message = IdentifyMessage.ForLocalPeer(key.PublicKey, listen, observed, ["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/meshsub/1.1.0"]);
        Assert.Equal(IdentifyError.None, IdentifyMessage.TryDecode(message.ToArray(), out var decoded, out _));
        Assert.Equal("ipfs/0.1.0", decoded!.ProtocolVersion);
        Assert.StartsWith("jmzk-sequencer/", decoded.AgentVersion);
        Assert.DoesNotContain("+", decoded.AgentVersion);
        Assert.True(decoded.TryGetPublicKey(out var decodedKey));
        Assert.Equal(key.PublicKey, decodedKey);
        Assert.Equal(listen, decoded.ListenAddresses);
        Assert.Equal(observed, decoded.ObservedAddress);
        Assert.Equal(["/ipfs/id/1.0.0", "/ipfs/ping/1.0.0", "/meshsub/1.1.0"], decoded.Protocols);
    }

    [Property(MaxTest = 200)]
    public Property EncodeDecodeRoundTrips() =>
        Prop.ForAll(Generators.Message.ToArbitrary(), message =>
        {
            var bytes = message.ToArray();
            if (IdentifyMessage.TryDecode(bytes, out var decoded, out _) != IdentifyError.None)
                return false;
            return decoded!.ProtocolVersion == message.ProtocolVersion
                && decoded.AgentVersion == message.AgentVersion
                && decoded.PublicKey.Span.SequenceEqual(message.PublicKey.Span)
                && decoded.ListenAddresses.SequenceEqual(message.ListenAddresses)
                && decoded.ObservedAddress == message.ObservedAddress
                && decoded.Protocols.SequenceEqual(message.Protocols)
                && decoded.SignedPeerRecord.Span.SequenceEqual(message.SignedPeerRecord.Span)
                && decoded.ToArray().AsSpan().SequenceEqual(bytes);
        });

    [Property(MaxTest = 300)]
    public bool AnyBytesDecodeOrGiveATypedError(byte[] bytes)
    {
        var error = IdentifyMessage.TryDecode(bytes, out var message, out var failure);
        return error == IdentifyError.None ? message is not null : message is null && failure.Length > 0;
    }

    [Fact]
    public void EveryTruncationIsReadOrRefusedWithoutThrowing()
    {
        var bytes = CapturedMessageOfA().ToArray();
        for (var length = 0; length < bytes.Length; length++)
        {
            var error = IdentifyMessage.TryDecode(bytes.AsSpan(0, length), out _, out _);
            Assert.True(error is IdentifyError.None or IdentifyError.MalformedProtobuf, $"length {length}: {error}");
        }
    }

    [Fact]
    public void AnAddressOfAnUnknownTransportIsSkippedAndCounted()
    {
        // /ip4/1.2.3.4/udp/4001/quic-v1: udp (273) and quic-v1 (461) are not transports this node speaks.
        var quic = Convert.FromHexString("0401020304" + "9102" + "0fa1" + "cd03");
        var tcp = Multiaddr.Parse("/ip4/1.2.3.4/tcp/4001").Bytes.ToArray();
        byte[] bytes = [0x12, (byte)quic.Length, .. quic, 0x12, (byte)tcp.Length, .. tcp, 0x22, (byte)quic.Length, .. quic];
        Assert.Equal(IdentifyError.None, IdentifyMessage.TryDecode(bytes, out var message, out _));
        Assert.Equal(["/ip4/1.2.3.4/tcp/4001"], message!.ListenAddresses.Select(a => a.ToString()));
        Assert.Null(message.ObservedAddress);
        Assert.Equal(2, message.SkippedAddresses);
    }

    [Theory]
    [InlineData("2a02c328", IdentifyError.InvalidString)]          // protocolVersion "\xc3(" is not UTF-8
    [InlineData("1a01ff", IdentifyError.InvalidString)]            // a protocol id that is not UTF-8
    [InlineData("2a05616263", IdentifyError.MalformedProtobuf)]    // length beyond the end
    [InlineData("2d01020304", IdentifyError.MalformedProtobuf)]    // protocolVersion as fixed32: wrong wire type
    [InlineData("0f", IdentifyError.MalformedProtobuf)]            // wire type 7
    public void MalformedMessagesGiveTypedErrors(string hex, IdentifyError expected)
    {
        Assert.Equal(expected, IdentifyMessage.TryDecode(Convert.FromHexString(hex), out var message, out var failure));
        Assert.Null(message);
        Assert.NotEmpty(failure);
    }

    [Fact]
    public void UnknownFieldsAreSkipped()
    {
        // Field 7 (varint) and field 9 (bytes) before protocolVersion.
        Assert.Equal(IdentifyError.None, IdentifyMessage.TryDecode(Convert.FromHexString("3801" + "4a0100" + "2a0161"), out var message, out _));
        Assert.Equal("a", message!.ProtocolVersion);
    }

    private static class Generators
    {
        private static readonly Multiaddr[] s_addresses =
        [
            Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001"),
            Multiaddr.Parse("/ip6/2001:db8::1/tcp/443"),
            Multiaddr.Parse("/dns4/example.org/tcp/4001/p2p/12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns"),
        ];

        private static readonly Gen<string?> s_text =
            Gen.OneOf(Gen.Constant<string?>(null), ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => (string?)s.Get));

        public static Gen<IdentifyMessage> Message { get; } =
            from protocolVersion in s_text
            from agentVersion in s_text
            from key in ArbMap.Default.GeneratorFor<byte[]>()
            from listen in Gen.SubListOf(s_addresses)
            from observed in Gen.OneOf(Gen.Constant<Multiaddr?>(null), Gen.Elements(s_addresses).Select(a => (Multiaddr?)a))
            from protocols in Gen.ListOf(ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get))
            from record in ArbMap.Default.GeneratorFor<byte[]>()
            select new IdentifyMessage
            {
                ProtocolVersion = protocolVersion is null ? null : Sanitize(protocolVersion),
                AgentVersion = agentVersion is null ? null : Sanitize(agentVersion),
                PublicKey = key,
                ListenAddresses = listen.ToArray(),
                ObservedAddress = observed,
                Protocols = protocols.Select(Sanitize).ToArray(),
                SignedPeerRecord = record,
            };

        // Lone surrogates do not survive UTF-8; the wire carries UTF-8, so generate only what it can.
        private static string Sanitize(string text) =>
            System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text));
    }
}
