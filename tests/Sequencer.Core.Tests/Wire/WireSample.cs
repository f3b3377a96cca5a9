using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Wire;

/// <summary>A valid message of some type, with its encoding.</summary>
public sealed record WireSample(WireMessageType Type, object Message, byte[] Bytes)
{
    public override string ToString() => $"{Type} ({Bytes.Length} bytes): {Convert.ToHexStringLower(Bytes)}";
}

/// <summary>
/// A vote-set delta as plain data: the decoded <see cref="VoteSetDelta"/> borrows its entries, so tests compare
/// deltas through this.
/// </summary>
public sealed record DeltaMessage(RoundId Round, Hash32 DirectoryHash, VoteSetEntry[] Entries)
{
    public static DeltaMessage From(in VoteSetDelta delta)
    {
        var entries = new List<VoteSetEntry>();
        foreach (var entry in delta)
            entries.Add(entry);
        return new DeltaMessage(delta.Round, delta.DirectoryHash, [.. entries]);
    }

    public bool Equals(DeltaMessage? other) =>
        other is not null && Round == other.Round && DirectoryHash == other.DirectoryHash
        && Entries.AsSpan().SequenceEqual(other.Entries);

    public override int GetHashCode() => HashCode.Combine(Round, Entries.Length);
}
