using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Wire;

/// <summary>
/// New votes a buddy gossips on the round's CRDT topic (DESIGN §3 step 7), and the answer to a <see cref="VoteFetch"/>.
/// The round fields are written once and shared by every entry; each entry keeps its voter's own signature, so a
/// delta needs no signature of its own and a receiver trusts only what each voter signed.
/// <code>
/// offset size     field
///      0    1     version (1)
///      1    1     type (0x06)
///      2   48     round          chainId u64 BE ‖ height u64 BE ‖ blockHash
///     50   32     directoryHash
///     82    2     entryCount     u16 BE, ≤ 1024
///     84   69×N   entries        VoteSetEntry: voterIndex u32 BE ‖ decision u8 ‖ signature 64
/// </code>
/// Entries are strictly ascending by (voterIndex, decision). That makes the encoding canonical, lets a receiver drop
/// in-delta duplicates without looking, and still leaves room for the one thing a vote set must be able to carry
/// twice for one voter: equivocation evidence, an Accept and a Reject signed by the same voter.
/// The decoder checks every entry's ranges and order up front, so enumerating a decoded delta cannot fail; the
/// entries stay in the input buffer (enumeration copies one entry at a time, allocation-free), so a delta must be
/// used before its buffer is released.
/// </summary>
public struct VoteSetDelta
{
    public const int FixedLength = WireHeader.Length + RoundId.EncodedLength + Hash32.Length + 2;

    public const int MaxEncodedLength = FixedLength + WireLimits.MaxVoteSetDeltaEntries * VoteSetEntry.EncodedLength;

    public RoundId Round;
    public Hash32 DirectoryHash;

    private ReadOnlySequence<byte> _entries;
    private int _count;

    public readonly int Count => _count;

    public static int GetEncodedLength(int entryCount) => FixedLength + entryCount * VoteSetEntry.EncodedLength;

    public readonly Enumerator GetEnumerator() => new(_entries);

    /// <summary>The entry rules: count within bound, voters within bound, decisions defined, strictly ascending.</summary>
    public static WireResult ValidateEntries(ReadOnlySpan<VoteSetEntry> entries)
    {
        if (entries.Length > WireLimits.MaxVoteSetDeltaEntries)
            return WireResult.TooLarge(WireField.EntryCount);
        ulong previous = 0;
        for (var i = 0; i < entries.Length; i++)
        {
            var result = CheckEntry(entries[i].VoterIndex, entries[i].Decision, i == 0, ref previous);
            if (!result.IsOk)
                return result;
        }
        return WireResult.Ok;
    }

    /// <summary>
    /// Writes a delta of <paramref name="entries"/> for one round. The caller passes them in canonical order (the
    /// vote set keeps them sorted by voter anyway).
    /// </summary>
    /// <exception cref="InvalidWireMessageException">The entries break <see cref="ValidateEntries"/>.</exception>
    public static void Encode(
        IBufferWriter<byte> output, in RoundId round, in Hash32 directoryHash, ReadOnlySpan<VoteSetEntry> entries)
    {
        var validation = ValidateEntries(entries);
        if (!validation.IsOk)
            throw new InvalidWireMessageException(WireMessageType.VoteSetDelta, validation);
        var length = GetEncodedLength(entries.Length);
        var writer = new WireWriter(output.GetSpan(length));
        writer.WriteHeader(WireMessageType.VoteSetDelta);
        writer.WriteRound(round);
        writer.Write(directoryHash.AsReadOnlySpan());
        writer.WriteUInt16((ushort)entries.Length);
        foreach (ref readonly var entry in entries)
        {
            writer.WriteUInt32(entry.VoterIndex);
            writer.WriteByte((byte)entry.Decision);
            writer.Write(entry.Signature.AsReadOnlySpan());
        }
        output.Advance(length);
    }

    /// <summary>Walks the borrowed entries once more and checks the same rules as <see cref="ValidateEntries"/>.</summary>
    public readonly WireResult Validate()
    {
        if (_count > WireLimits.MaxVoteSetDeltaEntries)
            return WireResult.TooLarge(WireField.EntryCount);
        if (_entries.Length != (long)_count * VoteSetEntry.EncodedLength)
            return WireResult.Invalid(WireField.Entries);
        var reader = new SequenceReader<byte>(_entries);
        ulong previous = 0;
        for (var i = 0; i < _count; i++)
        {
            reader.TryReadBigEndian(out int voterIndex);
            reader.TryRead(out var decision);
            reader.Advance(SchnorrSignature.Length);
            var result = CheckEntry((uint)voterIndex, (Decision)decision, i == 0, ref previous);
            if (!result.IsOk)
                return result;
        }
        return WireResult.Ok;
    }

    public static WireResult TryDecode(ReadOnlySequence<byte> input, out VoteSetDelta delta)
    {
        delta = default;
        var reader = new WireReader(input);
        var header = reader.ReadHeader(WireMessageType.VoteSetDelta);
        if (!header.IsOk)
            return header;
        if (!reader.TryReadRound(out delta.Round))
            return WireResult.Truncated(WireField.Round);
        if (!reader.TryRead(delta.DirectoryHash))
            return WireResult.Truncated(WireField.DirectoryHash);
        if (!reader.TryReadUInt16(out var count))
            return WireResult.Truncated(WireField.EntryCount);
        if (count > WireLimits.MaxVoteSetDeltaEntries)
            return WireResult.TooLarge(WireField.EntryCount);
        if (!reader.TryReadSlice(count * VoteSetEntry.EncodedLength, out delta._entries))
            return WireResult.Truncated(WireField.Entries);
        delta._count = count;
        var end = reader.ExpectEnd();
        return end.IsOk ? delta.Validate() : end;
    }

    private static WireResult CheckEntry(uint voterIndex, Decision decision, bool first, ref ulong previousKey)
    {
        if (voterIndex >= WireLimits.MaxValidators)
            return WireResult.Invalid(WireField.VoterIndex);
        if (!decision.IsDefined())
            return WireResult.Invalid(WireField.Decision);
        var key = ((ulong)voterIndex << 8) | (byte)decision;
        if (!first && key <= previousKey)
            return WireResult.Invalid(WireField.Entries);
        previousKey = key;
        return WireResult.Ok;
    }

    /// <summary>Reads the entries one at a time out of the borrowed input.</summary>
    public ref struct Enumerator
    {
        private SequenceReader<byte> _reader;
        private VoteSetEntry _current;

        internal Enumerator(ReadOnlySequence<byte> entries)
        {
            _reader = new SequenceReader<byte>(entries);
            _current = default;
        }

        public readonly VoteSetEntry Current => _current;

        public bool MoveNext()
        {
            if (_reader.Remaining < VoteSetEntry.EncodedLength)
                return false;
            _reader.TryReadBigEndian(out int voterIndex);
            _reader.TryRead(out var decision);
            _reader.TryCopyTo(_current.Signature);
            _reader.Advance(SchnorrSignature.Length);
            _current.VoterIndex = (uint)voterIndex;
            _current.Decision = (Decision)decision;
            return true;
        }
    }
}
