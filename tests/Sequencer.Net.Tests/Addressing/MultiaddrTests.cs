using System.Net;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Formats;
using Sequencer.Core.Identity;
using Sequencer.Net.Addressing;

namespace Sequencer.Net.Tests.Addressing;

public sealed class MultiaddrTests
{
    // Text/binary pairs: the first three are identify's listenAddrs/observedAddr exactly as js-libp2p sent them
    // (shared/interop/capture.txt); the Qm peer id is go-multiaddr's test vector; the rest follow protocols.csv.
    [Theory]
    [InlineData("/ip4/127.0.0.1/tcp/38001", "047f000001069471")]
    [InlineData("/ip4/127.0.0.1/tcp/59998/p2p/12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns",
        "047f00000106ea5ea50326002408011220a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0")]
    [InlineData("/ip4/127.0.0.1/tcp/33203/p2p/16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3",
        "047f0000010681b3a50327002508021221034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa")]
    [InlineData("/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC",
        "a503221220d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b")]
    [InlineData("/ip4/127.0.0.1/tcp/4001", "047f000001060fa1")]
    [InlineData("/ip6/::1/tcp/4001", "2900000000000000000000000000000001060fa1")]
    [InlineData("/ip6/2601:9:4f81:9700:803e:ca65:66e8:c21", "29260100094f819700803eca6566e80c21")]
    [InlineData("/dns4/example.com/tcp/443", "360b6578616d706c652e636f6d0601bb")]
    [InlineData("/dns6/node.example/tcp/1", "370c6e6f64652e6578616d706c65060001")]
    [InlineData("/dns/a/tcp/0", "3501610600 00")]
    public void TextAndBinaryMatchKnownVectors(string text, string hex)
    {
        var bytes = Convert.FromHexString(hex.Replace(" ", ""));
        var parsed = Multiaddr.Parse(text);
        Assert.Equal(bytes, parsed.ToArray());
        var decoded = Multiaddr.FromBytes(bytes);
        Assert.Equal(text, decoded.ToString());
        Assert.Equal(parsed, decoded);
    }

    [Theory]
    [InlineData("/ipfs/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", "/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC")]
    [InlineData("/ip4/1.2.3.4/tcp/0080/", "/ip4/1.2.3.4/tcp/80")]
    [InlineData("/ip6/0:0:0:0:0:0:0:1/tcp/1", "/ip6/::1/tcp/1")]
    [InlineData("/ip6/2001:DB8::1/tcp/1", "/ip6/2001:db8::1/tcp/1")]
    public void TextIsRenderedCanonically(string text, string canonical)
    {
        Assert.Equal(canonical, Multiaddr.Parse(text).ToString());
    }

    [Theory]
    [InlineData("", MultiaddrError.Empty)]
    [InlineData("/", MultiaddrError.Empty)]
    [InlineData("ip4/1.2.3.4", MultiaddrError.MissingLeadingSlash)]
    [InlineData("/ip4", MultiaddrError.MissingValue)]
    [InlineData("/ip4/1.2.3.4/tcp", MultiaddrError.MissingValue)]
    [InlineData("/ip4/1.2.3.4//tcp/1", MultiaddrError.EmptyComponent)]
    [InlineData("/ip4/1.2.3.4//", MultiaddrError.EmptyComponent)]
    [InlineData("//", MultiaddrError.Empty)]
    [InlineData("/udp/1", MultiaddrError.UnknownProtocol)]
    [InlineData("/IP4/1.2.3.4", MultiaddrError.UnknownProtocol)]
    [InlineData("/ip4/256.0.0.1", MultiaddrError.InvalidIp4)]
    [InlineData("/ip4/01.2.3.4", MultiaddrError.InvalidIp4)]
    [InlineData("/ip4/1.2.3", MultiaddrError.InvalidIp4)]
    [InlineData("/ip4/1.2.3.4.5", MultiaddrError.InvalidIp4)]
    [InlineData("/ip4/1", MultiaddrError.InvalidIp4)]
    [InlineData("/ip4/::1", MultiaddrError.InvalidIp4)]
    [InlineData("/ip6/1.2.3.4", MultiaddrError.InvalidIp6)]
    [InlineData("/ip6/fe80::1%eth0", MultiaddrError.InvalidIp6)]
    [InlineData("/ip6/[::1]", MultiaddrError.InvalidIp6)]
    [InlineData("/ip6/::g", MultiaddrError.InvalidIp6)]
    [InlineData("/tcp/65536", MultiaddrError.InvalidPort)]
    [InlineData("/tcp/-1", MultiaddrError.InvalidPort)]
    [InlineData("/tcp/+1", MultiaddrError.InvalidPort)]
    [InlineData("/tcp/123456", MultiaddrError.InvalidPort)]
    [InlineData("/p2p/0OIl", MultiaddrError.InvalidPeerId)]
    [InlineData("/p2p/3yZe7d", MultiaddrError.InvalidPeerId)]
    [InlineData("/p2p/bafzaaaaaaaaaaaaaaaa", MultiaddrError.InvalidPeerId)]
    public void MalformedTextIsATypedError(string text, MultiaddrError expected)
    {
        Assert.False(Multiaddr.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
        var exception = Assert.Throws<MultiaddrException>(() => Multiaddr.Parse(text));
        Assert.Equal(expected, exception.Error);
    }

    [Fact]
    public void OverlongTextAndDnsNamesAreRefused()
    {
        Assert.False(Multiaddr.TryParse("/dns4/" + new string('a', 256), out _, out var error));
        Assert.Equal(MultiaddrError.InvalidDnsName, error);
        Assert.False(Multiaddr.TryParse(string.Concat(Enumerable.Repeat("/ip4/1.2.3.4", 200)), out _, out error));
        Assert.Equal(MultiaddrError.TooLong, error);
    }

    [Theory]
    [InlineData("", MultiaddrError.Empty)]
    [InlineData("04", MultiaddrError.Truncated)]
    [InlineData("047f0000", MultiaddrError.Truncated)]
    [InlineData("0606", MultiaddrError.Truncated)]
    [InlineData("a5", MultiaddrError.Truncated)]
    [InlineData("a503", MultiaddrError.Truncated)]
    [InlineData("a50322", MultiaddrError.Truncated)]
    [InlineData("8000", MultiaddrError.InvalidVarint)]
    [InlineData("11", MultiaddrError.UnknownProtocol)]
    [InlineData("a503050011223344", MultiaddrError.InvalidPeerId)]
    [InlineData("a503221120d52ebb89d85b02a284948203a62ff28389c57c9f42beec4ec20db76a68911c0b", MultiaddrError.InvalidPeerId)]
    [InlineData("3600", MultiaddrError.InvalidDnsName)]
    [InlineData("36032f6162", MultiaddrError.InvalidDnsName)]
    [InlineData("3602c328", MultiaddrError.InvalidDnsName)]
    public void MalformedBinaryIsATypedError(string hex, MultiaddrError expected)
    {
        Assert.False(Multiaddr.TryDecode(Convert.FromHexString(hex), out _, out var error));
        Assert.Equal(expected, error);
        Assert.Equal(expected, Assert.Throws<MultiaddrException>(() => Multiaddr.FromBytes(Convert.FromHexString(hex))).Error);
    }

    [Property]
    public Property TextAndBinaryRoundTrip() => Prop.ForAll(Generators.Multiaddr().ToArbitrary(), address =>
    {
        var text = address.ToString();
        var reparsed = Multiaddr.Parse(text);
        var redecoded = Multiaddr.FromBytes(address.Bytes.Span);
        return reparsed == address && redecoded == address && reparsed.ToString() == text
            && reparsed.GetHashCode() == address.GetHashCode();
    });

    [Property]
    public Property EveryPrefixOfAnAddressIsAnAddressOrTruncated() => Prop.ForAll(Generators.Multiaddr().ToArbitrary(), address =>
    {
        var bytes = address.ToArray();
        for (var length = 1; length < bytes.Length; length++)
        {
            if (!Multiaddr.TryDecode(bytes.AsSpan(0, length), out var prefix, out var error)
                ? error != MultiaddrError.Truncated
                : !bytes.AsSpan().StartsWith(prefix.Bytes.Span))
                return false;
        }
        return true;
    });

    [Property]
    public bool GarbageBytesNeverThrow(byte[] garbage)
    {
        var decoded = Multiaddr.TryDecode(garbage ?? [], out var address, out var error);
        return decoded ? error == MultiaddrError.None && address!.ToArray().AsSpan().SequenceEqual(garbage) : error != MultiaddrError.None;
    }

    [Property]
    public bool GarbageTextNeverThrows(string text)
    {
        var parsed = Multiaddr.TryParse((text ?? "").AsSpan(), out var address, out var error);
        return parsed ? address is not null : error != MultiaddrError.None;
    }

    [Fact]
    public void EndPointsConvertBothWays()
    {
        var v4 = Multiaddr.FromIPEndPoint(new IPEndPoint(IPAddress.Parse("10.0.0.7"), 4001));
        Assert.Equal("/ip4/10.0.0.7/tcp/4001", v4.ToString());
        Assert.True(v4.TryGetIPEndPoint(out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("10.0.0.7"), 4001), endPoint);

        var mapped = Multiaddr.FromIPEndPoint(new IPEndPoint(IPAddress.Parse("::ffff:10.0.0.7"), 1));
        Assert.Equal("/ip4/10.0.0.7/tcp/1", mapped.ToString());
        Assert.Equal("/ip6/::1/tcp/65535", Multiaddr.FromIPEndPoint(new IPEndPoint(IPAddress.IPv6Loopback, 65535)).ToString());

        Assert.False(Multiaddr.Parse("/dns4/example.com/tcp/1").TryGetIPEndPoint(out _));
        Assert.False(Multiaddr.Parse("/ip4/1.2.3.4").TryGetIPEndPoint(out _));
    }

    [Fact]
    public void PeerIdComponentIsAddedReplacedAndRemoved()
    {
        var peer = PeerId.Parse("12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns");
        var other = PeerId.Parse("16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3");
        var transport = Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001");
        Assert.False(transport.TryGetPeerId(out _));
        Assert.Same(transport, transport.WithoutPeerId());

        var full = transport.WithPeerId(peer);
        Assert.Equal($"/ip4/127.0.0.1/tcp/4001/p2p/{peer}", full.ToString());
        Assert.True(full.TryGetPeerId(out var found));
        Assert.Equal(peer, found);
        Assert.True(full.TryGetIPEndPoint(out var endPoint));
        Assert.Equal(4001, endPoint.Port);

        Assert.Equal(transport, full.WithoutPeerId());
        Assert.Equal($"/ip4/127.0.0.1/tcp/4001/p2p/{other}", full.WithPeerId(other).ToString());
        Assert.Equal(full, transport.Encapsulate(Multiaddr.Parse($"/p2p/{peer}")));
        Assert.Throws<ArgumentException>(() => transport.WithPeerId(default));
    }

    [Fact]
    public void PeerIdInCidFormIsAcceptedAndRenderedAsBase58()
    {
        // The example pair of the libp2p peer-ids spec (string representation): one sha256 peer id in both forms.
        var address = Multiaddr.Parse("/p2p/bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        Assert.Equal("/p2p/QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N", address.ToString());
    }

    [Fact]
    public void ComponentsExposeTypedValues()
    {
        var address = Multiaddr.Parse("/ip6/2001:db8::5/tcp/443/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC");
        Assert.Equal([MultiaddrProtocol.Ip6, MultiaddrProtocol.Tcp, MultiaddrProtocol.P2p], address.Components.Select(c => c.Protocol));
        Assert.Equal(IPAddress.Parse("2001:db8::5"), address.Components[0].ToIPAddress());
        Assert.Equal(443, address.Components[1].ToPort());
        Assert.Equal("/p2p/QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC", address.Components[2].ToString());
        Assert.Equal(PeerId.Parse("QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC"), address.Components[2].ToPeerId());
        Assert.Throws<InvalidOperationException>(() => address.Components[1].ToIPAddress());
    }

    private static class Generators
    {
        public static Gen<Multiaddr> Multiaddr() =>
            from host in Gen.OneOf(Ip4(), Ip6(), Dns())
            from port in Gen.Choose(0, 65535)
            from peer in Gen.OneOf(Gen.Constant(""), PeerId().Select(id => "/p2p/" + id))
            select Net.Addressing.Multiaddr.Parse($"{host}/tcp/{port}{peer}");

        private static Gen<string> Ip4() => Gen.ArrayOf(Gen.Choose(0, 255), 4).Select(parts => "/ip4/" + string.Join('.', parts));

        private static Gen<string> Ip6() => Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), 16)
            .Select(bytes => "/ip6/" + new IPAddress(bytes).ToString());

        private static Gen<string> Dns() =>
            from kind in Gen.Elements("dns", "dns4", "dns6", "dnsaddr")
            from length in Gen.Choose(1, 40)
            from chars in Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789.-é".ToCharArray()), length)
            select $"/{kind}/{new string(chars)}";

        private static Gen<string> PeerId() =>
            from identity in Gen.Elements(true, false)
            from digest in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b), identity ? 36 : 32)
            select Base58.Encode([identity ? (byte)0x00 : (byte)0x12, (byte)digest.Length, .. digest]);
    }
}
