using System.Text;
using Sequencer.Net.Addressing;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="Multiaddr.TryParse(ReadOnlySpan{char}, out Multiaddr?, out MultiaddrError)"/> on the input read as
/// UTF-8, as command-line options and configuration carry addresses. Checks: TryParse and
/// <see cref="Multiaddr.Parse"/> agree (Parse throws only <see cref="MultiaddrException"/>, with the same error); an
/// accepted address decodes from its own bytes to an equal address, its canonical text parses back to it and renders
/// unchanged, and the /p2p helpers agree with its components.
/// </summary>
internal sealed class MultiaddrTextTarget : IFuzzTarget
{
    public string Name => "multiaddr-text";

    public IEnumerable<byte[]> Seeds()
    {
        using var key = IdentitySamples.Secp256k1();
        var peer = key.PublicKey.ToPeerId();
        yield return "/ip4/192.168.1.20/tcp/4001"u8.ToArray();
        yield return Encoding.UTF8.GetBytes($"/ip6/2001:db8::1/tcp/0443/ipfs/{peer}/");
        yield return Encoding.UTF8.GetBytes($"/dns6/bücher.example/tcp/9000/p2p/{peer.ToCidString()}");
        yield return "/ip6/::a:b/tcp/1/dns/x"u8.ToArray();
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);
        var parsed = Multiaddr.TryParse(text.AsSpan(), out var address, out var error);
        ThrowIf(!Enum.IsDefined(error) || parsed != (error == MultiaddrError.None) || parsed != (address is not null),
            $"TryParse returned {parsed} with {error}");
        try
        {
            var fromParse = Multiaddr.Parse(text);
            ThrowIf(!parsed || fromParse != address, "Parse accepts what TryParse refuses, or gives another address");
        }
        catch (MultiaddrException e)
        {
            ThrowIf(parsed || e.Error != error, $"Parse refuses with {e.Error}; TryParse says {error}");
        }
        if (!parsed)
            return;
        ThrowIf(!Multiaddr.TryDecode(address!.Bytes.Span, out var decoded, out var decodeError) || decoded != address,
            $"the parsed address's bytes do not decode to it ({decodeError})");
        MultiaddrCheck.TextRoundTrips(address);
        MultiaddrCheck.PeerIdHelpersAgree(address);
    }
}
