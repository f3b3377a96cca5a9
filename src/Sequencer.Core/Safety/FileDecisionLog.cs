using System.Buffers;
using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Safety;

/// <summary>
/// The production <see cref="IDecisionLog"/>: one append-only file of checksummed frames.
/// <code>
/// file header (16 bytes, written once by temp + fsync + rename, so it is never torn):
///      0   8  magic "JMZKDLOG"
///      8   1  format version (1)
///      9   7  zero
/// then frames, back to back                       (integers big-endian)
///      0   4  certificate length L  (≤ MaxCertificateLength)
///      4   8  chainId
///     12   8  height
///     20   1  outcome (1 = accept, 2 = reject)
///     21   L  certificate bytes
///   21+L   4  CRC-32C of bytes [0, 21+L)
/// </code>
/// An append is one positional write at the end followed by fsync (the file grows, so the size must reach the disk
/// too: fsync, not fdatasync).
/// </summary>
/// <remarks>
/// <para>Recovery on open. Appends only ever write past the end, so a crash can damage only the last frame, and only
/// in these shapes: fewer bytes than a frame header; a header whose frame runs past the end of the file; a frame
/// that ends exactly at the end of the file but fails its checksum (its sectors reached the disk out of order); or
/// zero bytes (the size grew before the data arrived). Each is a torn tail: it is cut — the file truncated to the
/// last intact frame and fsynced — and reported in <see cref="Recovery"/>. Any other damage (a bad frame followed by
/// more data, an absurd length with data after it, a well-checksummed frame with an unknown outcome, a bad file
/// header) cannot come from an interrupted append; it is corruption, and opening refuses with a
/// <see cref="SafetyStateException"/> rather than silently dropping every later certificate.</para>
/// <para>The handle is held with <see cref="FileShare.None"/> (an exclusive flock on Unix): one writer per log.</para>
/// </remarks>
public sealed class FileDecisionLog : IDecisionLog, IDisposable
{
    /// <summary>Far above a real certificate (≈ 23 signatures and a committee proof: a few kilobytes).</summary>
    public const int MaxCertificateLength = 1 << 20;

    private const byte Version = 1;
    private const int FileHeaderLength = 16;
    private const int FrameHeaderLength = 21;
    private const int ChecksumLength = 4;
    private const int FrameOverhead = FrameHeaderLength + ChecksumLength;
    private const int ScanChunkLength = 64 * 1024;

    private readonly SafeFileHandle _handle;
    private long _end;
    private Exception? _fault;
    private bool _disposed;

    private FileDecisionLog(string path, SafeFileHandle handle, DecisionLogRecovery recovery)
    {
        FilePath = path;
        _handle = handle;
        Recovery = recovery;
        _end = recovery.ValidLength;
        RecordCount = recovery.Records;
    }

    private static ReadOnlySpan<byte> Magic => "JMZKDLOG"u8;

    public string FilePath { get; }

    /// <summary>What opening found: intact records, and the torn tail cut off, if any.</summary>
    public DecisionLogRecovery Recovery { get; }

    public long RecordCount { get; private set; }

    /// <summary>Opens (or creates) the log at <paramref name="path"/>, cutting a torn tail.</summary>
    /// <exception cref="SafetyStateException">The file is corrupt beyond a torn tail, not a decision log, group/other-accessible, or in use.</exception>
    /// <exception cref="IOException">The file could not be read, truncated or synced.</exception>
    public static FileDecisionLog Open(string path)
    {
        path = Path.GetFullPath(path);
        DurableFile.EnsureDirectory(DurableFile.DirectoryOf(path));
        if (!File.Exists(path))
        {
            Span<byte> header = stackalloc byte[FileHeaderLength];
            header.Clear();
            Magic.CopyTo(header);
            header[8] = Version;
            DurableFile.Replace(path, header);
        }
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new SafetyStateException(path, SafetyStateDefect.InUse, 0, $"another writer holds the log ({e.Message})");
        }
        try
        {
            DurableFile.EnsurePrivate(handle, path);
            var recovery = Scan(handle, path);
            if (recovery.WasCut)
            {
                RandomAccess.SetLength(handle, recovery.ValidLength);
                RandomAccess.FlushToDisk(handle);
            }
            return new FileDecisionLog(path, handle, recovery);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public void Append(ulong chainId, ulong height, Decision outcome, ReadOnlySpan<byte> certificate)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_fault is not null)
            throw new SafetyStateFaultedException(
                $"an earlier append to {FilePath} failed ({_fault.Message}); reopen the log", _fault);
        if (outcome is not (Decision.Accept or Decision.Reject))
            throw new ArgumentException($"outcome {(byte)outcome} is neither accept (1) nor reject (2)", nameof(outcome));
        if (certificate.Length > MaxCertificateLength)
            throw new ArgumentException(
                $"a {certificate.Length}-byte certificate exceeds {MaxCertificateLength} bytes", nameof(certificate));

        var frameLength = FrameOverhead + certificate.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(frameLength);
        try
        {
            var frame = buffer.AsSpan(0, frameLength);
            BinaryPrimitives.WriteInt32BigEndian(frame, certificate.Length);
            BinaryPrimitives.WriteUInt64BigEndian(frame[4..], chainId);
            BinaryPrimitives.WriteUInt64BigEndian(frame[12..], height);
            frame[20] = (byte)outcome;
            certificate.CopyTo(frame[FrameHeaderLength..]);
            var checksumStart = FrameHeaderLength + certificate.Length;
            BinaryPrimitives.WriteUInt32BigEndian(frame[checksumStart..], Crc32C.Compute(frame[..checksumStart]));
            try
            {
                RandomAccess.Write(_handle, frame, _end);
                RandomAccess.FlushToDisk(_handle);
            }
            catch (Exception e)
            {
                // Part of the frame may be on disk; the next open cuts it as a torn tail.
                _fault = e;
                throw new SafetyStateFaultedException(
                    $"appending the certificate for chain {chainId} height {height} to {FilePath} failed: {e.Message}", e);
            }
            _end += frameLength;
            RecordCount++;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The records intact at the time of the call, in append order; each certificate is a fresh array.</summary>
    /// <exception cref="SafetyStateException">A record changed on disk since the log was opened.</exception>
    public IEnumerable<DecisionRecord> ReadAll()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return Read(_end);
    }

    public void Dispose()
    {
        _disposed = true;
        _handle.Dispose();
    }

    private IEnumerable<DecisionRecord> Read(long end)
    {
        var header = new byte[FrameHeaderLength];
        var checksum = new byte[ChecksumLength];
        for (long offset = FileHeaderLength; offset < end;)
        {
            ReadExactly(_handle, header, offset);
            var length = BinaryPrimitives.ReadInt32BigEndian(header);
            var certificate = new byte[length];
            ReadExactly(_handle, certificate, offset + FrameHeaderLength);
            ReadExactly(_handle, checksum, offset + FrameHeaderLength + length);
            if (BinaryPrimitives.ReadUInt32BigEndian(checksum) != Crc32C.Append(Crc32C.Compute(header), certificate))
                throw new SafetyStateException(FilePath, SafetyStateDefect.ChecksumMismatch, offset,
                    "a record changed on disk after the log was opened");
            yield return new DecisionRecord(
                BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(4)),
                BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(12)),
                (Decision)header[20],
                certificate);
            offset += FrameOverhead + length;
        }
    }

    private static DecisionLogRecovery Scan(SafeFileHandle handle, string path)
    {
        var fileLength = RandomAccess.GetLength(handle);
        Span<byte> fileHeader = stackalloc byte[FileHeaderLength];
        if (fileLength < FileHeaderLength || RandomAccess.Read(handle, fileHeader, 0) != FileHeaderLength)
            throw new SafetyStateException(path, SafetyStateDefect.LengthMismatch, 0,
                $"{fileLength} bytes is shorter than the {FileHeaderLength}-byte log header");
        if (!fileHeader[..8].SequenceEqual(Magic))
            throw new SafetyStateException(path, SafetyStateDefect.BadMagic, 0, "not a decision log");
        if (fileHeader[8] != Version)
            throw new SafetyStateException(path, SafetyStateDefect.UnsupportedVersion, 8,
                $"format version {fileHeader[8]}, this build reads {Version}");
        if (fileHeader[9..].ContainsAnyExcept((byte)0))
            throw new SafetyStateException(path, SafetyStateDefect.InvalidContent, 9, "reserved header bytes are not zero");

        Span<byte> header = stackalloc byte[FrameHeaderLength];
        var buffer = ArrayPool<byte>.Shared.Rent(ScanChunkLength);
        try
        {
            long offset = FileHeaderLength;
            long records = 0;
            while (offset < fileLength)
            {
                var remaining = fileLength - offset;
                if (remaining < FrameOverhead)
                    return TornTail(handle, offset, records, fileLength, DecisionLogTail.PartialHeader, buffer);
                ReadExactly(handle, header, offset);
                var length = BinaryPrimitives.ReadUInt32BigEndian(header);
                if (length > MaxCertificateLength)
                {
                    if (IsAllZero(handle, offset, fileLength, buffer))
                        return Cut(offset, records, fileLength, DecisionLogTail.Zeros);
                    throw new SafetyStateException(path, SafetyStateDefect.CorruptRecord, offset,
                        $"record {records} claims {length} bytes (at most {MaxCertificateLength})");
                }
                var frameLength = FrameOverhead + (long)length;
                if (frameLength > remaining)
                    return TornTail(handle, offset, records, fileLength, DecisionLogTail.PartialRecord, buffer);
                if (!ChecksumMatches(handle, offset, header, (int)length, buffer))
                {
                    if (frameLength == remaining)
                        return TornTail(handle, offset, records, fileLength, DecisionLogTail.ChecksumMismatch, buffer);
                    if (IsAllZero(handle, offset, fileLength, buffer))
                        return Cut(offset, records, fileLength, DecisionLogTail.Zeros);
                    throw new SafetyStateException(path, SafetyStateDefect.CorruptRecord, offset,
                        $"record {records} fails its checksum and {remaining - frameLength} bytes follow it: corruption, not a torn append");
                }
                if (header[20] is not ((byte)Decision.Accept or (byte)Decision.Reject))
                    throw new SafetyStateException(path, SafetyStateDefect.InvalidContent, offset + 20,
                        $"record {records} has outcome {header[20]}, neither accept (1) nor reject (2)");
                offset += frameLength;
                records++;
            }
            return new DecisionLogRecovery(records, offset, 0, DecisionLogTail.Clean);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A damaged last frame; reported as zeros when that is all it holds (the more telling diagnosis).</summary>
    private static DecisionLogRecovery TornTail(SafeFileHandle handle, long offset, long records, long fileLength,
        DecisionLogTail shape, byte[] buffer) =>
        Cut(offset, records, fileLength, IsAllZero(handle, offset, fileLength, buffer) ? DecisionLogTail.Zeros : shape);

    private static DecisionLogRecovery Cut(long offset, long records, long fileLength, DecisionLogTail shape) =>
        new(records, offset, fileLength - offset, shape);

    private static bool ChecksumMatches(SafeFileHandle handle, long offset, ReadOnlySpan<byte> header, int length, byte[] buffer)
    {
        var crc = Crc32C.Compute(header);
        var position = offset + FrameHeaderLength;
        var bodyEnd = position + length;
        while (position < bodyEnd)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, bodyEnd - position));
            ReadExactly(handle, chunk, position);
            crc = Crc32C.Append(crc, chunk);
            position += chunk.Length;
        }
        Span<byte> stored = stackalloc byte[ChecksumLength];
        ReadExactly(handle, stored, bodyEnd);
        return BinaryPrimitives.ReadUInt32BigEndian(stored) == crc;
    }

    private static bool IsAllZero(SafeFileHandle handle, long offset, long fileLength, byte[] buffer)
    {
        for (var position = offset; position < fileLength;)
        {
            var chunk = buffer.AsSpan(0, (int)Math.Min(buffer.Length, fileLength - position));
            ReadExactly(handle, chunk, position);
            if (chunk.ContainsAnyExcept((byte)0))
                return false;
            position += chunk.Length;
        }
        return true;
    }

    private static void ReadExactly(SafeFileHandle handle, Span<byte> destination, long offset)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
                throw new EndOfStreamException($"the file ended at byte {offset} while {destination.Length} more were expected");
            destination = destination[read..];
            offset += read;
        }
    }
}
