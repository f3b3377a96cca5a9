using Sequencer.Core.Identity;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="PeerId.TryParse"/> on arbitrary text (one char per input byte, so non-ASCII arrives too), as
/// configuration and multiaddrs' <c>/p2p/</c> part carry it. Checks: TryParse and Parse agree (Parse throws only
/// <see cref="FormatException"/>); each text form has one spelling — an accepted base58 id prints back as the input,
/// an accepted CID as the input — and the id round-trips.
/// </summary>
internal sealed class PeerIdTextTarget : IFuzzTarget
{
    public string Name => "peer-id-text";

    public IEnumerable<byte[]> Seeds()
    {
        using var ed25519 = IdentitySamples.Ed25519();
        using var secp256k1 = IdentitySamples.Secp256k1();
        yield return System.Text.Encoding.ASCII.GetBytes(ed25519.PublicKey.ToPeerId().ToString());
        yield return System.Text.Encoding.ASCII.GetBytes(secp256k1.PublicKey.ToPeerId().ToCidString());
        yield return System.Text.Encoding.ASCII.GetBytes(PeerId.FromPublicKeyProtobuf(new byte[64]).ToString());
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var chars = new char[input.Length];
        for (var i = 0; i < input.Length; i++)
            chars[i] = (char)input[i];
        var text = new string(chars);

        var parsed = PeerId.TryParse(text, out var id);
        bool parseSucceeds;
        try
        {
            parseSucceeds = PeerId.Parse(text) == id;
        }
        catch (FormatException)
        {
            parseSucceeds = false;
        }
        ThrowIf(parsed != parseSucceeds, "PeerId.TryParse and Parse disagree");
        if (!parsed)
            return;
        var canonical = text[0] == 'b' ? id.ToCidString() : id.ToString();
        ThrowIf(canonical != text, "an accepted peer id text is not the one spelling of its id");
        PeerIdCheck.RoundTrips(id);
    }
}
