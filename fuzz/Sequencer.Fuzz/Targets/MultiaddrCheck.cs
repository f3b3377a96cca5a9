using Sequencer.Net.Addressing;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>What holds for every valid multiaddr, whichever form it was read from.</summary>
internal static class MultiaddrCheck
{
    /// <summary>The text form parses back to an equal address and is itself canonical (it renders unchanged).</summary>
    public static void TextRoundTrips(Multiaddr address)
    {
        var text = address.ToString();
        if (!Multiaddr.TryParse(text, out var parsed, out var error))
        {
            ThrowIf(error != MultiaddrError.TooLong || text.Length <= Multiaddr.MaxTextLength,
                $"the text form '{Truncate(text)}' of a valid address is refused with {error}");
            return;
        }
        ThrowIf(parsed != address || parsed.GetHashCode() != address.GetHashCode(),
            $"the text form '{Truncate(text)}' parses to another address, '{Truncate(parsed.ToString())}'");
        ThrowIf(parsed.ToString() != text, $"the text form '{Truncate(text)}' is not canonical: it renders as '{Truncate(parsed.ToString())}'");
    }

    /// <summary>
    /// <see cref="Multiaddr.TryGetPeerId"/> finds the trailing /p2p component; without it the address is its
    /// transport part, and putting the same peer id back gives the address again (unless that part ends with /p2p too).
    /// </summary>
    public static void PeerIdHelpersAgree(Multiaddr address)
    {
        var components = address.Components;
        var hasPeer = address.TryGetPeerId(out var peer);
        ThrowIf(hasPeer != (components[^1].Protocol == MultiaddrProtocol.P2p), "TryGetPeerId disagrees with the last component");
        address.TryGetIPEndPoint(out _);
        var transport = address.WithoutPeerId();
        if (!hasPeer || components.Count < 2)
        {
            ThrowIf(!ReferenceEquals(transport, address), "WithoutPeerId changed an address with no transport part before /p2p");
            return;
        }
        ThrowIf(transport.Components.Count != components.Count - 1 || !address.Bytes.Span.StartsWith(transport.Bytes.Span),
            "WithoutPeerId is not the address minus its /p2p component");
        // With a second /p2p before the last (/p2p/A/p2p/B), WithPeerId replaces that one too, by design.
        if (transport.Components[^1].Protocol != MultiaddrProtocol.P2p)
            ThrowIf(transport.WithPeerId(peer) != address, "putting the peer id back does not give the address");
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
