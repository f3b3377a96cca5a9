using System.Collections.Immutable;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;

namespace Sequencer.Core.Validators;

/// <summary>
/// A validator of one directory epoch, at its index. Immutable and shared by every round of the epoch; the keys are
/// parsed once here so that the vote pipeline pays only for each verification.
/// </summary>
public sealed class ValidatorInfo
{
    internal ValidatorInfo(int index, ValidatorSpec spec)
    {
        Index = index;
        PeerId = spec.PeerId;
        PublicKey = spec.PublicKey;
        Weight = spec.Weight;
        Region = spec.Region;
        Addresses = [.. spec.Addresses];
        IsBuddyEligible = spec.IsBuddyEligible;
    }

    /// <summary>The validator's position in the directory: what every message names it by.</summary>
    public int Index { get; }

    /// <summary>The libp2p peer id of its node key: the transport maps an authenticated connection back to <see cref="Index"/>.</summary>
    public PeerId PeerId { get; }

    /// <summary>The validator key (33-byte compressed): it proves the VRF when this validator is the sequencer.</summary>
    public Secp256k1PublicKey PublicKey { get; }

    /// <summary>The same key's BIP340 view, parsed once: every signature of this validator verifies against it.</summary>
    public SchnorrPublicKey SchnorrKey => PublicKey.SchnorrKey;

    public ulong Weight { get; }

    public string Region { get; }

    /// <summary>Listen multiaddrs in text form, as the directory lists them.</summary>
    public ImmutableArray<string> Addresses { get; }

    /// <summary>
    /// Whether the committee draw may pick this validator (DESIGN §3 step 1). A voter-only validator (false) still votes
    /// and its weight still counts towards <see cref="ValidatorDirectory.TotalWeight"/>; it is simply never a buddy,
    /// e.g. a light client that cannot carry a buddy's load.
    /// </summary>
    public bool IsBuddyEligible { get; }

    public override string ToString() => $"validator {Index} ({PeerId}, weight {Weight}, {Region}{(IsBuddyEligible ? "" : ", voter only")})";
}
