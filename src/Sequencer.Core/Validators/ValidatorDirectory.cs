using System.Buffers.Binary;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Validators;

/// <summary>
/// The validators of one epoch (DESIGN §2): who they are, how much they weigh, where to reach them. Immutable: every
/// round of the epoch shares one instance and reads it from any thread. A validator's index is its position.
/// </summary>
/// <remarks>
/// <para>Invariants, checked once when the directory is built: 1 … <see cref="WireLimits.MaxValidators"/> validators;
/// every weight positive and the total at most 2^63 (so no sum of weights, or three times one, overflows what
/// <see cref="Consensus.QuorumRules"/> widens); peer ids and validator keys unique (a transport identity or a key
/// maps to exactly one index, so nobody is counted twice); regions and addresses within their bounds.</para>
/// <para>The <see cref="Hash"/> is what every signed message binds as <c>directoryHash</c>:
/// <c>TaggedHash("jmzk/sequencer/directory/v1", encoding)</c> over this canonical encoding of every field
/// (integers big-endian):
/// <code>
/// chainId        u64
/// epoch          u64
/// count          u32
/// per validator, in index order:
///   peerIdLength u8      then the peer id's multihash bytes (whichever text form the file used; ≤ 44)
///   publicKey    33      compressed SEC1
///   weight       u64
///   regionLength u8      then the region, UTF-8 (1 … 64 bytes)
///   addressCount u8      (≤ 16), then per address: length u16, the multiaddr text, UTF-8 (≤ 512 bytes)
/// only when at least one validator is voter-only (<see cref="ValidatorInfo.IsBuddyEligible"/> false):
///   voterOnlyCount u32   then each voter-only validator's index, u32, ascending
/// </code>
/// Every variable-length field is length-prefixed, so no two directories share an encoding: the validator list is
/// self-delimiting, and after it comes either nothing or a non-empty voter-only list. The list is absent rather than
/// empty so that a directory without voter-only validators hashes exactly as it did before the flag existed (the
/// reference file's hash, computed independently, still holds). Addresses are hashed as
/// the text the directory lists: two spellings of one multiaddr are two directories, which is why the file is the
/// single source every node reads.</para>
/// </remarks>
public sealed class ValidatorDirectory
{
    public const string HashTag = "jmzk/sequencer/directory/v1";

    /// <summary>The largest total weight: 2^63.</summary>
    public const ulong MaxTotalWeight = 1UL << 63;

    public const int MaxRegionBytes = 64;
    public const int MaxAddresses = 16;
    public const int MaxAddressLength = 512;

    private static readonly TaggedHash s_hash = new(HashTag);

    private readonly Dictionary<PeerId, int> _byPeerId;
    private readonly Dictionary<Secp256k1PublicKey, int> _byPublicKey;

    private ValidatorDirectory(
        ulong chainId, ulong epoch, ImmutableArray<ValidatorInfo> validators, ulong totalWeight,
        Dictionary<PeerId, int> byPeerId, Dictionary<Secp256k1PublicKey, int> byPublicKey)
    {
        ChainId = chainId;
        Epoch = epoch;
        Validators = validators;
        TotalWeight = totalWeight;
        _byPeerId = byPeerId;
        _byPublicKey = byPublicKey;
        Hash = ComputeHash(chainId, epoch, validators);
    }

    public ulong ChainId { get; }

    public ulong Epoch { get; }

    /// <summary>In index order.</summary>
    public ImmutableArray<ValidatorInfo> Validators { get; }

    public int Count => Validators.Length;

    /// <summary><c>W</c>, the weight the vote thresholds are fractions of.</summary>
    public ulong TotalWeight { get; }

    /// <summary>The directory hash every signed message binds (see the remarks for the encoding).</summary>
    public Hash32 Hash { get; }

    /// <exception cref="IndexOutOfRangeException">No validator has this index.</exception>
    public ValidatorInfo this[int index] => Validators[index];

    /// <summary>The validator at an index read from the wire, or false when there is none.</summary>
    public bool TryGet(uint index, [NotNullWhen(true)] out ValidatorInfo? validator)
    {
        validator = index < (uint)Validators.Length ? Validators[(int)index] : null;
        return validator is not null;
    }

    public bool TryGetByPeerId(PeerId peerId, [NotNullWhen(true)] out ValidatorInfo? validator)
    {
        validator = _byPeerId.TryGetValue(peerId, out var index) ? Validators[index] : null;
        return validator is not null;
    }

    public bool TryGetByPublicKey(Secp256k1PublicKey publicKey, [NotNullWhen(true)] out ValidatorInfo? validator)
    {
        validator = _byPublicKey.TryGetValue(publicKey, out var index) ? Validators[index] : null;
        return validator is not null;
    }

    /// <summary>Builds a directory, indices in the order given.</summary>
    /// <exception cref="ArgumentException">The entries break an invariant (the message names the validator and the rule).</exception>
    public static ValidatorDirectory Create(ulong chainId, ulong epoch, IReadOnlyList<ValidatorSpec> validators)
    {
        if (!TryCreate(chainId, epoch, validators, out var directory, out var violation))
            throw new ArgumentException(
                $"{violation.Error} at validator {violation.ValidatorIndex} ({violation.Field}): {violation.Detail}", nameof(validators));
        return directory;
    }

    internal static bool TryCreate(
        ulong chainId, ulong epoch, IReadOnlyList<ValidatorSpec> specs,
        [NotNullWhen(true)] out ValidatorDirectory? directory, out DirectoryViolation violation)
    {
        directory = null;
        if (specs.Count == 0)
        {
            violation = new(DirectoryError.NoValidators, -1, DirectoryField.Validators, -1, "the directory lists no validator");
            return false;
        }
        if (specs.Count > WireLimits.MaxValidators)
        {
            violation = new(DirectoryError.TooManyValidators, WireLimits.MaxValidators, DirectoryField.Validators, -1,
                $"{specs.Count} validators, at most {WireLimits.MaxValidators}");
            return false;
        }

        var validators = ImmutableArray.CreateBuilder<ValidatorInfo>(specs.Count);
        var byPeerId = new Dictionary<PeerId, int>(specs.Count);
        var byPublicKey = new Dictionary<Secp256k1PublicKey, int>(specs.Count);
        UInt128 totalWeight = 0;
        for (var index = 0; index < specs.Count; index++)
        {
            var spec = specs[index];
            if (!TryCheck(index, spec, out violation))
                return false;
            if (!byPeerId.TryAdd(spec.PeerId, index))
            {
                violation = new(DirectoryError.DuplicatePeerId, index, DirectoryField.PeerId, -1,
                    $"peer id {spec.PeerId} is also validator {byPeerId[spec.PeerId]}'s");
                return false;
            }
            if (!byPublicKey.TryAdd(spec.PublicKey, index))
            {
                violation = new(DirectoryError.DuplicatePublicKey, index, DirectoryField.PublicKey, -1,
                    $"public key {spec.PublicKey} is also validator {byPublicKey[spec.PublicKey]}'s");
                return false;
            }
            totalWeight += spec.Weight;
            if (totalWeight > MaxTotalWeight)
            {
                violation = new(DirectoryError.TotalWeightTooLarge, index, DirectoryField.Weight, -1,
                    $"the weights of validators 0 … {index} add up to {totalWeight}, more than 2^63");
                return false;
            }
            validators.Add(new ValidatorInfo(index, spec));
        }

        violation = default;
        directory = new ValidatorDirectory(chainId, epoch, validators.MoveToImmutable(), (ulong)totalWeight, byPeerId, byPublicKey);
        return true;
    }

    /// <summary>The rules that concern one validator's own fields.</summary>
    private static bool TryCheck(int index, ValidatorSpec spec, out DirectoryViolation violation)
    {
        ArgumentNullException.ThrowIfNull(spec);
        violation = default;
        if (spec.PeerId.IsEmpty)
            violation = new(DirectoryError.InvalidPeerId, index, DirectoryField.PeerId, -1, "the peer id is empty");
        else if (spec.Weight == 0)
            violation = new(DirectoryError.ZeroWeight, index, DirectoryField.Weight, -1, "the weight must be positive");
        else if (!IsValidRegion(spec.Region))
            violation = new(DirectoryError.InvalidRegion, index, DirectoryField.Region, -1,
                $"a region is 1 … {MaxRegionBytes} UTF-8 bytes without control characters");
        else if (spec.Addresses.Count > MaxAddresses)
            violation = new(DirectoryError.InvalidAddress, index, DirectoryField.Addresses, MaxAddresses,
                $"{spec.Addresses.Count} addresses, at most {MaxAddresses}");
        else
            CheckAddresses(index, spec.Addresses, ref violation);
        return violation.Error == DirectoryError.None;
    }

    private static void CheckAddresses(int index, IReadOnlyList<string> addresses, ref DirectoryViolation violation)
    {
        for (var i = 0; i < addresses.Count; i++)
        {
            if (!IsPlausibleMultiaddr(addresses[i]))
            {
                violation = new(DirectoryError.InvalidAddress, index, DirectoryField.Addresses, i,
                    $"'{addresses[i]}' is not a multiaddr (/protocol/value/…, printable ASCII, at most {MaxAddressLength} characters)");
                return;
            }
            for (var earlier = 0; earlier < i; earlier++)
            {
                if (string.Equals(addresses[earlier], addresses[i], StringComparison.Ordinal))
                {
                    violation = new(DirectoryError.DuplicateAddress, index, DirectoryField.Addresses, i,
                        $"'{addresses[i]}' is listed twice");
                    return;
                }
            }
        }
    }

    private static bool IsValidRegion(string region)
    {
        if (region.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(region) > MaxRegionBytes)
            return false;
        foreach (var c in region)
        {
            if (char.IsControl(c))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Only the shape of a text multiaddr: the network layer parses the protocols. Printable ASCII without spaces,
    /// starting with '/', no empty component and no trailing '/'.
    /// </summary>
    private static bool IsPlausibleMultiaddr(string address)
    {
        if (address.Length < 2 || address.Length > MaxAddressLength || address[0] != '/' || address[^1] == '/')
            return false;
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (c is <= ' ' or > '~' || (c == '/' && i > 0 && address[i - 1] == '/'))
                return false;
        }
        return true;
    }

    private static Hash32 ComputeHash(ulong chainId, ulong epoch, ImmutableArray<ValidatorInfo> validators)
    {
        var hasher = s_hash.Start();
        Span<byte> scratch = stackalloc byte[Secp256k1PublicKey.CompressedSize + 8];
        BinaryPrimitives.WriteUInt64BigEndian(scratch, chainId);
        BinaryPrimitives.WriteUInt64BigEndian(scratch[8..], epoch);
        hasher.Append(scratch[..16]);
        BinaryPrimitives.WriteUInt32BigEndian(scratch, (uint)validators.Length);
        hasher.Append(scratch[..4]);
        foreach (var validator in validators)
        {
            AppendShortBytes(ref hasher, validator.PeerId.Bytes, scratch);
            validator.PublicKey.Compressed.CopyTo(scratch);
            BinaryPrimitives.WriteUInt64BigEndian(scratch[Secp256k1PublicKey.CompressedSize..], validator.Weight);
            hasher.Append(scratch);
            AppendShortBytes(ref hasher, System.Text.Encoding.UTF8.GetBytes(validator.Region), scratch);
            scratch[0] = (byte)validator.Addresses.Length;
            hasher.Append(scratch[..1]);
            foreach (var address in validator.Addresses)
            {
                // Checked as printable ASCII: one byte per character.
                BinaryPrimitives.WriteUInt16BigEndian(scratch, (ushort)address.Length);
                hasher.Append(scratch[..2]);
                hasher.Append(System.Text.Encoding.ASCII.GetBytes(address));
            }
        }
        AppendVoterOnly(ref hasher, validators, scratch);
        var hash = default(Hash32);
        hasher.Finish(hash);
        return hash;
    }

    private static void AppendVoterOnly(ref Sha256Hasher hasher, ImmutableArray<ValidatorInfo> validators, Span<byte> scratch)
    {
        var voterOnly = 0u;
        foreach (var validator in validators)
        {
            if (!validator.IsBuddyEligible)
                voterOnly++;
        }
        if (voterOnly == 0)
            return;
        BinaryPrimitives.WriteUInt32BigEndian(scratch, voterOnly);
        hasher.Append(scratch[..4]);
        foreach (var validator in validators)
        {
            if (validator.IsBuddyEligible)
                continue;
            BinaryPrimitives.WriteUInt32BigEndian(scratch, (uint)validator.Index);
            hasher.Append(scratch[..4]);
        }
    }

    private static void AppendShortBytes(ref Sha256Hasher hasher, ReadOnlySpan<byte> bytes, Span<byte> scratch)
    {
        scratch[0] = (byte)bytes.Length;
        hasher.Append(scratch[..1]);
        hasher.Append(bytes);
    }

    public override string ToString() =>
        $"directory of chain {ChainId} epoch {Epoch}: {Count} validators, total weight {TotalWeight}, hash {Hash}";
}
