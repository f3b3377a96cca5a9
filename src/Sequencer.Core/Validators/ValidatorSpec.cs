using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;

namespace Sequencer.Core.Validators;

/// <summary>
/// One validator as a directory file or a generated network describes it, before it has a place in a
/// <see cref="ValidatorDirectory"/> (which checks every field and gives it its index).
/// </summary>
/// <param name="PeerId">The libp2p peer id of the validator's node key.</param>
/// <param name="PublicKey">The validator key: it proves the VRF and, x-only, verifies BIP340 signatures.</param>
/// <param name="Weight">Voting weight, positive.</param>
/// <param name="Region">A free-form region label (1 … 64 UTF-8 bytes).</param>
/// <param name="Addresses">Listen multiaddrs in text form (at most 16); the network layer parses them.</param>
/// <param name="IsBuddyEligible">
/// False for a voter-only validator (<c>"buddy": false</c> in the file): it votes with its weight but the VRF never
/// draws it into a committee.
/// </param>
public sealed record ValidatorSpec(
    PeerId PeerId, Secp256k1PublicKey PublicKey, ulong Weight, string Region, IReadOnlyList<string> Addresses,
    bool IsBuddyEligible = true);
