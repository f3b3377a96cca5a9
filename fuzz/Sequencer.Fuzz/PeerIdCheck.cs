using Sequencer.Core.Identity;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz;

/// <summary>
/// What holds for every peer id, however it was obtained: both text forms parse back to it, and an id that embeds a
/// public key is that key's id (the embedded protobuf is canonical, so hashing or inlining it again gives the same).
/// </summary>
internal static class PeerIdCheck
{
    public static void RoundTrips(PeerId id)
    {
        ThrowIf(id.IsEmpty, "an accepted peer id is empty");
        ThrowIf(!PeerId.TryParse(id.ToString(), out var fromBase58) || fromBase58 != id, "the base58 form does not parse back");
        ThrowIf(!PeerId.TryParse(id.ToCidString(), out var fromCid) || fromCid != id, "the CIDv1 form does not parse back");
        if (id.TryGetPublicKey(out var key))
            ThrowIf(key.ToPeerId() != id, "the embedded public key has another peer id");
    }
}
