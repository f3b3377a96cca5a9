using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Wire;

namespace Sequencer.Core.VotePipeline;

/// <summary>
/// The part of a validator directory that vote counting needs: each index's parsed BIP340 key and weight, the total
/// weight <c>W</c> the thresholds are fractions of, and the directory hash every vote binds. Immutable and shared by
/// every round of an epoch (and by every thread verifying for them). Built from a <see cref="ValidatorDirectory"/>
/// (<see cref="From"/>) or from plain arrays; the keys are parsed once, so a vote costs only its verification.
/// </summary>
public sealed class VoterRoster
{
    /// <summary>The largest total weight: 2^63, so no tally can overflow a u64 (and <c>QuorumRules</c> widens further).</summary>
    public const ulong MaxTotalWeight = 1UL << 63;

    private readonly SchnorrPublicKey[] _keys;
    private readonly ulong[] _weights;

    /// <param name="directoryHash">The hash of the directory the keys and weights come from.</param>
    /// <param name="keys">Each validator's BIP340 key, by index.</param>
    /// <param name="weights">Each validator's weight, by index: positive, summing to at most <see cref="MaxTotalWeight"/>.</param>
    /// <exception cref="ArgumentException">The arrays differ in length, are empty or longer than
    /// <see cref="WireLimits.MaxValidators"/>, hold a null key or a zero weight, or the weights sum past
    /// <see cref="MaxTotalWeight"/> (the message names the index and the numbers).</exception>
    public VoterRoster(in Hash32 directoryHash, ReadOnlySpan<SchnorrPublicKey> keys, ReadOnlySpan<ulong> weights)
    {
        if (keys.Length != weights.Length)
            throw new ArgumentException($"{keys.Length} keys but {weights.Length} weights", nameof(weights));
        if (keys.Length is 0 or > WireLimits.MaxValidators)
            throw new ArgumentException($"a roster holds 1 … {WireLimits.MaxValidators} validators, got {keys.Length}", nameof(keys));
        UInt128 total = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] is null)
                throw new ArgumentException($"validator {i} has no key", nameof(keys));
            if (weights[i] == 0)
                throw new ArgumentException($"validator {i} has weight 0; every validator weighs at least 1", nameof(weights));
            total += weights[i];
        }
        if (total > MaxTotalWeight)
            throw new ArgumentException($"the weights sum to {total}, more than {MaxTotalWeight}", nameof(weights));
        DirectoryHash = directoryHash;
        _keys = keys.ToArray();
        _weights = weights.ToArray();
        TotalWeight = (ulong)total;
    }

    /// <summary>The roster of a directory: its validators' keys and weights in index order, bound to its hash.</summary>
    public static VoterRoster From(ValidatorDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var keys = new SchnorrPublicKey[directory.Count];
        var weights = new ulong[directory.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = directory[i].SchnorrKey;
            weights[i] = directory[i].Weight;
        }
        return new VoterRoster(directory.Hash, keys, weights);
    }

    public Hash32 DirectoryHash { get; }

    /// <summary>Validators in the roster; valid voter indices are 0 … Count − 1.</summary>
    public int Count => _keys.Length;

    /// <summary><c>W</c>.</summary>
    public ulong TotalWeight { get; }

    /// <exception cref="IndexOutOfRangeException">No validator has this index.</exception>
    public SchnorrPublicKey GetKey(uint index) => _keys[index];

    /// <exception cref="IndexOutOfRangeException">No validator has this index.</exception>
    public ulong GetWeight(uint index) => _weights[index];
}
