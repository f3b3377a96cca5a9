using Sequencer.Core.Identity;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="PeerId.TryFromBytes"/> on a multihash as gossip's <c>from</c> field carries it. Checks: an accepted id
/// holds exactly the input bytes and round-trips through both text forms and its embedded key.
/// </summary>
internal sealed class PeerIdBytesTarget : IFuzzTarget
{
    public string Name => "peer-id-bytes";

    public IEnumerable<byte[]> Seeds()
    {
        using var ed25519 = IdentitySamples.Ed25519();
        using var secp256k1 = IdentitySamples.Secp256k1();
        yield return ed25519.PublicKey.ToPeerId().Bytes.ToArray();
        yield return secp256k1.PublicKey.ToPeerId().Bytes.ToArray();
        // A SHA-256 multihash, the form of RSA peers' ids.
        yield return PeerId.FromPublicKeyProtobuf(new byte[64]).Bytes.ToArray();
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (!PeerId.TryFromBytes(input, out var id))
        {
            ThrowIf(!id.IsEmpty, "a refused multihash gave a peer id");
            return;
        }
        ThrowIf(!id.Bytes.SequenceEqual(input), "a peer id holds other bytes than its multihash");
        PeerIdCheck.RoundTrips(id);
    }
}
