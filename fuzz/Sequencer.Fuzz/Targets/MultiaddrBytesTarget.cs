using Sequencer.Net.Addressing;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="Multiaddr.TryDecode"/> on arbitrary bytes, as identify's listen and observed addresses carry them.
/// Checks: a refusal is a defined binary-form error, and <see cref="Multiaddr.FromBytes"/> throws it as a
/// <see cref="MultiaddrException"/>; an accepted address keeps exactly the input as its bytes, renders as text that
/// parses back to an equal address (with an equal hash) and renders the same again (a text form past
/// <see cref="Multiaddr.MaxTextLength"/> may be refused as too long: the binary bound admits more text than the text
/// bound); the /p2p helpers agree with the components and never throw.
/// </summary>
internal sealed class MultiaddrBytesTarget : IFuzzTarget
{
    public string Name => "multiaddr-bytes";

    public IEnumerable<byte[]> Seeds()
    {
        using var key = IdentitySamples.Ed25519();
        var peer = key.PublicKey.ToPeerId();
        yield return Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001").ToArray();
        yield return Multiaddr.Parse("/ip6/::ffff:10.0.0.1/tcp/443").WithPeerId(peer).ToArray();
        yield return Multiaddr.Parse("/dns4/example.org/tcp/80").ToArray();
        yield return Multiaddr.Parse("/dnsaddr/bootstrap.libp2p.io").WithPeerId(peer).ToArray();
        yield return Multiaddr.Parse("/p2p/" + peer).ToArray();
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var decoded = Multiaddr.TryDecode(input, out var address, out var error);
        ThrowIf(!Enum.IsDefined(error) || decoded != (error == MultiaddrError.None) || decoded != (address is not null),
            $"TryDecode returned {decoded} with {error}");
        if (!decoded)
        {
            ThrowIf(error is not (MultiaddrError.Empty or MultiaddrError.TooLong or MultiaddrError.UnknownProtocol or MultiaddrError.InvalidDnsName
                or MultiaddrError.InvalidPeerId or MultiaddrError.Truncated or MultiaddrError.InvalidVarint), $"binary input refused with {error}");
            try
            {
                Multiaddr.FromBytes(input);
                throw new ContractViolationException("FromBytes accepts what TryDecode refuses");
            }
            catch (MultiaddrException e)
            {
                ThrowIf(e.Error != error, $"FromBytes refuses with {e.Error}, TryDecode with {error}");
            }
            return;
        }
        ThrowIf(!address!.Bytes.Span.SequenceEqual(input), "the address's bytes are not the input");
        ThrowIf(address.Components.Count == 0, "an accepted address has no component");
        MultiaddrCheck.TextRoundTrips(address);
        MultiaddrCheck.PeerIdHelpersAgree(address);
    }
}
