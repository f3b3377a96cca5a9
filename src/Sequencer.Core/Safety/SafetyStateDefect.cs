namespace Sequencer.Core.Safety;

/// <summary>Why durable safety state (the safety store or the decision log) cannot be used.</summary>
public enum SafetyStateDefect
{
    /// <summary>A file grants access to group or others; it holds a validator's private state (mode 0600 expected).</summary>
    InsecurePermissions,

    /// <summary>Another process (or another store in this one) holds the directory's lock.</summary>
    InUse,

    /// <summary>The file does not start with the expected magic bytes.</summary>
    BadMagic,

    /// <summary>The file's format version is not one this build reads.</summary>
    UnsupportedVersion,

    /// <summary>The file's length does not match what its header declares.</summary>
    LengthMismatch,

    /// <summary>The checksum does not match the content: a torn write or corruption.</summary>
    ChecksumMismatch,

    /// <summary>The checksum matches but the content breaks a rule (order, duplicate, unknown value).</summary>
    InvalidContent,

    /// <summary>A damaged record is followed by more data: corruption inside the log, not a torn tail.</summary>
    CorruptRecord,
}
