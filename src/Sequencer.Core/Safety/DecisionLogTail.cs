namespace Sequencer.Core.Safety;

/// <summary>The shape of the bytes after the last intact record when a log is opened.</summary>
public enum DecisionLogTail
{
    /// <summary>The file ends exactly after the last intact record.</summary>
    Clean,

    /// <summary>Fewer bytes than a record header: an append died inside its header.</summary>
    PartialHeader,

    /// <summary>A record header whose record runs past the end of the file: an append died inside its body.</summary>
    PartialRecord,

    /// <summary>The last record is complete in length but fails its checksum: its sectors reached the disk out of order.</summary>
    ChecksumMismatch,

    /// <summary>Only zero bytes: the file grew before the append's data reached the disk.</summary>
    Zeros,
}
