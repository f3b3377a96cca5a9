using System.Buffers.Binary;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Safety;

/// <summary>
/// The byte layout of the safety file. It holds both kinds, so one rename replaces everything at once and there is
/// never a state where one kind's file exists and the other's is missing. The whole file is rewritten on every save
/// and replaced by rename — never appended to, never partially updated — so a crash leaves the old file or the new
/// one; the checksum catches what rename cannot: a disk returning other bytes than were written, or a hand edit.
/// <code>
/// offset  size   field                                   (integers big-endian)
///      0     8   magic "JMZKSAFE"
///      8     1   format version (1)
///      9     3   zero
///     12         section "votes", then section "attestations", each:
///                  4      chain count C
///                  4      record count R
///                  16·C   chains, ascending id:  chainId u64 ‖ floor u64   (lowest height still tracked)
///                  145·R  records, ascending (chainId, height):
///                         chainId u64 ‖ height u64 ‖ blockHash 32 ‖ value u8 ‖ digest 32 ‖ signature 64
///  end−4     4   CRC-32C of every byte before it
/// </code>
/// Every record's chain is in its section's chain table and its height at or above that chain's floor; values are
/// 1 (accept) or 2 (reject). One chain with the default window of 64 heights per kind is about 19 KB.
/// </summary>
internal static class SafetyFileFormat
{
    public const byte Version = 1;
    public const int HeaderLength = 12;
    public const int SectionHeaderLength = 8;
    public const int ChainLength = 16;
    public const int RecordLength = 8 + 8 + Hash32.Length + 1 + Hash32.Length + SchnorrSignature.Length;
    public const int ChecksumLength = 4;
    public const int EmptyLength = HeaderLength + 2 * SectionHeaderLength + ChecksumLength;

    /// <summary>Far above any real table (a few chains × the window); bounds what a damaged header can make us read.</summary>
    public const int MaxEntries = 1 << 16;

    public const long MaxLength = EmptyLength + 2L * MaxEntries * (ChainLength + RecordLength);

    public static ReadOnlySpan<byte> Magic => "JMZKSAFE"u8;

    public static int EncodedLength(SafetyRecordTable votes, SafetyRecordTable attestations) =>
        EmptyLength + SectionLength(votes) + SectionLength(attestations);

    /// <summary>Writes both tables into <paramref name="destination"/>; returns the length written.</summary>
    public static int Encode(SafetyRecordTable votes, SafetyRecordTable attestations, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, EncodedLength(votes, attestations), nameof(destination));
        Magic.CopyTo(destination);
        destination[8] = Version;
        destination[9..HeaderLength].Clear();
        var offset = HeaderLength;
        offset = EncodeSection(votes, destination, offset);
        offset = EncodeSection(attestations, destination, offset);
        BinaryPrimitives.WriteUInt32BigEndian(destination[offset..], Crc32C.Compute(destination[..offset]));
        return offset + ChecksumLength;
    }

    /// <summary>Parses and checks a whole file; any defect is a <see cref="SafetyStateException"/>, never an empty table.</summary>
    public static (SafetyRecordTable Votes, SafetyRecordTable Attestations) Decode(string path, ReadOnlySpan<byte> file)
    {
        if (file.Length < EmptyLength)
            throw Defect(path, SafetyStateDefect.LengthMismatch, file.Length,
                $"{file.Length} bytes is shorter than an empty state ({EmptyLength})");
        if (!file[..8].SequenceEqual(Magic))
            throw Defect(path, SafetyStateDefect.BadMagic, 0, "not a safety state file");
        // The checksum before every other field: a torn or rotted file is reported as such, not as whatever its
        // damaged header happens to claim.
        var body = file[..^ChecksumLength];
        var stored = BinaryPrimitives.ReadUInt32BigEndian(file[^ChecksumLength..]);
        var computed = Crc32C.Compute(body);
        if (stored != computed)
            throw Defect(path, SafetyStateDefect.ChecksumMismatch, body.Length, $"stored CRC-32C {stored:x8}, computed {computed:x8}");
        if (file[8] != Version)
            throw Defect(path, SafetyStateDefect.UnsupportedVersion, 8, $"format version {file[8]}, this build reads {Version}");
        if (file[9] != 0 || file[10] != 0 || file[11] != 0)
            throw Defect(path, SafetyStateDefect.InvalidContent, 9, "reserved bytes are not zero");
        var offset = HeaderLength;
        var votes = DecodeSection(path, body, ref offset);
        var attestations = DecodeSection(path, body, ref offset);
        if (offset != body.Length)
            throw Defect(path, SafetyStateDefect.LengthMismatch, offset, $"{body.Length - offset} bytes follow the last section");
        return (votes, attestations);
    }

    private static int SectionLength(SafetyRecordTable table) =>
        ChainLength * table.ChainCount + RecordLength * table.RecordCount;

    private static int EncodeSection(SafetyRecordTable table, Span<byte> destination, int offset)
    {
        BinaryPrimitives.WriteInt32BigEndian(destination[offset..], table.ChainCount);
        BinaryPrimitives.WriteInt32BigEndian(destination[(offset + 4)..], table.RecordCount);
        offset += SectionHeaderLength;
        foreach (var (chainId, floor) in table.Floors())
        {
            BinaryPrimitives.WriteUInt64BigEndian(destination[offset..], chainId);
            BinaryPrimitives.WriteUInt64BigEndian(destination[(offset + 8)..], floor);
            offset += ChainLength;
        }
        foreach (var record in table.Records())
        {
            var entry = destination.Slice(offset, RecordLength);
            BinaryPrimitives.WriteUInt64BigEndian(entry, record.ChainId);
            BinaryPrimitives.WriteUInt64BigEndian(entry[8..], record.Height);
            record.BlockHash.AsReadOnlySpan().CopyTo(entry[16..]);
            entry[48] = (byte)record.Value;
            record.Digest.AsReadOnlySpan().CopyTo(entry[49..]);
            record.Signature.AsReadOnlySpan().CopyTo(entry[81..]);
            offset += RecordLength;
        }
        return offset;
    }

    private static SafetyRecordTable DecodeSection(string path, ReadOnlySpan<byte> body, ref int offset)
    {
        if (body.Length - offset < SectionHeaderLength)
            throw Defect(path, SafetyStateDefect.LengthMismatch, offset, "a section header is cut off");
        var chainCount = BinaryPrimitives.ReadUInt32BigEndian(body[offset..]);
        var recordCount = BinaryPrimitives.ReadUInt32BigEndian(body[(offset + 4)..]);
        if (chainCount > MaxEntries || recordCount > MaxEntries)
            throw Defect(path, SafetyStateDefect.InvalidContent, offset, $"{chainCount} chains and {recordCount} records exceed {MaxEntries}");
        var length = (long)ChainLength * chainCount + (long)RecordLength * recordCount;
        if (length > body.Length - offset - SectionHeaderLength)
            throw Defect(path, SafetyStateDefect.LengthMismatch, offset,
                $"{chainCount} chains and {recordCount} records need {length} bytes, {body.Length - offset - SectionHeaderLength} remain");
        offset += SectionHeaderLength;

        var table = new SafetyRecordTable();
        var previousChain = 0UL;
        for (var i = 0; i < chainCount; i++, offset += ChainLength)
        {
            var chainId = BinaryPrimitives.ReadUInt64BigEndian(body[offset..]);
            if (i > 0 && chainId <= previousChain)
                throw Defect(path, SafetyStateDefect.InvalidContent, offset, $"chain {chainId} is out of order or repeated");
            table.RestoreFloor(chainId, BinaryPrimitives.ReadUInt64BigEndian(body[(offset + 8)..]));
            previousChain = chainId;
        }
        var previous = (Chain: 0UL, Height: 0UL);
        for (var i = 0; i < recordCount; i++, offset += RecordLength)
        {
            var entry = body.Slice(offset, RecordLength);
            var record = new SafetyRecord
            {
                ChainId = BinaryPrimitives.ReadUInt64BigEndian(entry),
                Height = BinaryPrimitives.ReadUInt64BigEndian(entry[8..]),
                BlockHash = Hash32.FromSpan(entry.Slice(16, Hash32.Length)),
                Value = (Decision)entry[48],
                Digest = Hash32.FromSpan(entry.Slice(49, Hash32.Length)),
                Signature = SchnorrSignature.FromSpan(entry.Slice(81, SchnorrSignature.Length)),
            };
            if (i > 0 && (record.ChainId, record.Height).CompareTo(previous) <= 0)
                throw Defect(path, SafetyStateDefect.InvalidContent, offset,
                    $"record for chain {record.ChainId} height {record.Height} is out of order or repeated");
            if (record.Value is not (Decision.Accept or Decision.Reject))
                throw Defect(path, SafetyStateDefect.InvalidContent, offset + 48, $"value {entry[48]} is neither accept (1) nor reject (2)");
            if (!table.HasChain(record.ChainId))
                throw Defect(path, SafetyStateDefect.InvalidContent, offset, $"chain {record.ChainId} is not in the chain table");
            var lookup = table.Find(record.ChainId, record.Height);
            if (lookup.Status == SafetyLookupStatus.BelowTrackedHeights)
                throw Defect(path, SafetyStateDefect.InvalidContent, offset,
                    $"chain {record.ChainId} height {record.Height} is below its floor {lookup.LowestTrackedHeight}");
            table.RestoreRecord(record);
            previous = (record.ChainId, record.Height);
        }
        return table;
    }

    private static SafetyStateException Defect(string path, SafetyStateDefect defect, long offset, string detail) =>
        new(path, defect, offset, detail);
}
