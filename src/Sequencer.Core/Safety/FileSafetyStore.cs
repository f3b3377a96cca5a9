using Microsoft.Win32.SafeHandles;

namespace Sequencer.Core.Safety;

/// <summary>
/// The production <see cref="ISafetyStore"/>: one small file, <c>safety.state</c> (layout in
/// <see cref="SafetyFileFormat"/>), held in memory and rewritten whole on every save by the DESIGN §6 recipe
/// (temp file, fsync, rename over the target, fsync the directory).
/// </summary>
/// <remarks>
/// <para>Why rewrite instead of append: a node votes every few seconds for years, so the state must stay bounded;
/// keeping only the last <see cref="RetainedHeights"/> heights per (kind, chain) makes the whole state a few tens of
/// kilobytes — one write and two fsyncs per signature, the same fsync count an append log pays, with no
/// compaction, no torn tail to repair, and a file that is always exactly one consistent snapshot.</para>
/// <para>Start: a missing directory is created (0700, parent fsynced); a directory without <c>safety.state</c> is a
/// first start and gets an empty state written durably before anything can be signed. The store cannot tell a
/// first start from an operator who deleted the file; it can tell everything else: a torn, rotted, truncated,
/// foreign or group/other-accessible file is a <see cref="SafetyStateException"/>, and the node must not start.
/// A leftover <c>safety.state.tmp</c> is a write that never reached its rename (its signature never left): deleted.</para>
/// <para>One process at a time: <c>safety.lock</c> is held with an exclusive flock (.NET's
/// <see cref="FileShare.None"/> on Unix) for the store's lifetime, so two nodes started on one directory cannot
/// each sign a different vote at one height from their own in-memory copy.</para>
/// <para>Not thread-safe: one node's event loop owns it, like <see cref="SafetyRules"/>.</para>
/// </remarks>
public sealed class FileSafetyStore : ISafetyStore, IDisposable
{
    /// <summary>Heights kept per (kind, chain): far more than the few rounds live at once.</summary>
    public const int DefaultRetainedHeights = 64;

    public const string StateFileName = "safety.state";
    public const string LockFileName = "safety.lock";

    private readonly SafeFileHandle _lock;
    private readonly SafetyRecordTable _votes;
    private readonly SafetyRecordTable _attestations;
    private byte[] _buffer = [];
    private Exception? _fault;
    private bool _disposed;

    private FileSafetyStore(string directory, int retainedHeights, SafeFileHandle lockHandle,
        SafetyRecordTable votes, SafetyRecordTable attestations)
    {
        DirectoryPath = directory;
        StatePath = Path.Combine(directory, StateFileName);
        RetainedHeights = retainedHeights;
        _lock = lockHandle;
        _votes = votes;
        _attestations = attestations;
    }

    public string DirectoryPath { get; }

    public string StatePath { get; }

    public int RetainedHeights { get; }

    /// <summary>Opens (or, on a first start, creates) the store in <paramref name="directory"/>.</summary>
    /// <exception cref="SafetyStateException">The state exists but is unusable, or another store holds the directory.</exception>
    /// <exception cref="IOException">The directory or file could not be read or written.</exception>
    public static FileSafetyStore Open(string directory, int retainedHeights = DefaultRetainedHeights)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(retainedHeights);
        directory = Path.GetFullPath(directory);
        DurableFile.EnsureDirectory(directory);
        var lockHandle = AcquireLock(directory);
        try
        {
            var statePath = Path.Combine(directory, StateFileName);
            File.Delete(DurableFile.TempPathFor(statePath));
            if (!File.Exists(statePath))
            {
                var empty = new SafetyRecordTable();
                var bytes = new byte[SafetyFileFormat.EncodedLength(empty, empty)];
                SafetyFileFormat.Encode(empty, empty, bytes);
                DurableFile.Replace(statePath, bytes);
                return new FileSafetyStore(directory, retainedHeights, lockHandle, empty, new SafetyRecordTable());
            }
            var (votes, attestations) = SafetyFileFormat.Decode(statePath, ReadState(statePath));
            return new FileSafetyStore(directory, retainedHeights, lockHandle, votes, attestations);
        }
        catch
        {
            lockHandle.Dispose();
            throw;
        }
    }

    public SafetyLookup Find(SafetyRecordKind kind, ulong chainId, ulong height)
    {
        ThrowIfUnusable();
        return TableOf(kind).Find(chainId, height);
    }

    public void Save(SafetyRecordKind kind, in SafetyRecord record)
    {
        ThrowIfUnusable();
        // The record joins the in-memory table before it is durable. That is safe because any failure below
        // faults the store: nothing is answered from this table again until a reopen reads what the disk holds.
        TableOf(kind).Add(record, RetainedHeights);
        try
        {
            var length = SafetyFileFormat.EncodedLength(_votes, _attestations);
            if (_buffer.Length < length)
                _buffer = new byte[Math.Max(length, _buffer.Length * 2)];
            SafetyFileFormat.Encode(_votes, _attestations, _buffer);
            DurableFile.Replace(StatePath, _buffer.AsSpan(0, length));
        }
        catch (Exception e)
        {
            _fault = e;
            throw new SafetyStateFaultedException(
                $"saving the {kind} record for chain {record.ChainId} height {record.Height} to {StatePath} failed: {e.Message}", e);
        }
    }

    /// <summary>Releases the directory lock. The state on disk is already complete: there is nothing to flush.</summary>
    public void Dispose()
    {
        _disposed = true;
        _lock.Dispose();
    }

    private SafetyRecordTable TableOf(SafetyRecordKind kind) => kind switch
    {
        SafetyRecordKind.Vote => _votes,
        SafetyRecordKind.Attestation => _attestations,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a safety record kind"),
    };

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is not null)
            throw new SafetyStateFaultedException(
                $"an earlier save to {StatePath} failed ({_fault.Message}); reopen the store before signing", _fault);
    }

    private static SafeFileHandle AcquireLock(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new SafetyStateException(path, SafetyStateDefect.InUse, 0, $"another store holds the lock ({e.Message})");
        }
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(handle, DurableFile.PrivateFileMode);
        return handle;
    }

    private static byte[] ReadState(string path)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        DurableFile.EnsurePrivate(handle, path);
        var length = RandomAccess.GetLength(handle);
        if (length > SafetyFileFormat.MaxLength)
            throw new SafetyStateException(path, SafetyStateDefect.LengthMismatch, 0,
                $"{length} bytes is more than any state ({SafetyFileFormat.MaxLength})");
        var bytes = new byte[length];
        var read = 0;
        while (read < bytes.Length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), read);
            if (n == 0)
                throw new SafetyStateException(path, SafetyStateDefect.LengthMismatch, read, $"the file shrank to {read} bytes while being read");
            read += n;
        }
        return bytes;
    }
}
