namespace Sequencer.Core.Primitives;

/// <summary>
/// What a round is keyed by (DESIGN §3): one chain, one height, one block. Two blocks proposed at one height are two
/// rounds; a signature bound to one round can never count in another, because every signing digest starts with all
/// three fields.
/// </summary>
public readonly struct RoundId : IEquatable<RoundId>
{
    /// <summary>Size of the three fields on the wire and in signing encodings: chainId u64 ‖ height u64 ‖ blockHash.</summary>
    public const int EncodedLength = 8 + 8 + Hash32.Length;

    public RoundId(ulong chainId, ulong height, Hash32 blockHash)
    {
        ChainId = chainId;
        Height = height;
        BlockHash = blockHash;
    }

    // Fields rather than properties so that `round.BlockHash.AsReadOnlySpan()` reads the hash in place.
    public readonly ulong ChainId;

    public readonly ulong Height;

    public readonly Hash32 BlockHash;

    public bool Equals(RoundId other) =>
        ChainId == other.ChainId && Height == other.Height && BlockHash.Equals(other.BlockHash);

    public override bool Equals(object? obj) => obj is RoundId other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(ChainId, Height, BlockHash);

    public override string ToString() => $"chain {ChainId} height {Height} block {BlockHash}";

    public static bool operator ==(RoundId left, RoundId right) => left.Equals(right);

    public static bool operator !=(RoundId left, RoundId right) => !left.Equals(right);
}
