using System.Security.Cryptography;
using Sequencer.Core.Crypto;

namespace Sequencer.Core.Identity;

/// <summary>
/// The node's identity key on disk: the file holds exactly the canonical libp2p <c>PrivateKey</c> protobuf (the
/// format go-libp2p and js-libp2p store), owner-only. Writing creates a temporary file with mode 0600 beside the
/// target, syncs it and renames it into place, so a crash never leaves a torn or world-readable key. Reading refuses
/// a file that group or others may read or write, as ssh does: such a key must be presumed leaked.
/// </summary>
public static class KeyFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode GroupOrOthersReadWrite =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;
    // Far above any supported key's protobuf (an Ed25519 one is 68 bytes); bounds what a wrong path makes us read.
    private const int MaxFileSize = 4096;

    /// <summary>Writes <paramref name="key"/> to <paramref name="path"/> with mode 0600.</summary>
    /// <exception cref="KeyFileException">The file exists and <paramref name="overwrite"/> is false, or writing failed.</exception>
    public static void Write(string path, PeerPrivateKey key, bool overwrite = false)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("key files rely on Unix file modes");
        var fullPath = Path.GetFullPath(path);
        if (!overwrite && File.Exists(fullPath))
            throw new KeyFileException($"key file {fullPath} already exists; refusing to overwrite it");
        var temporary = $"{fullPath}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        var protobuf = key.ToProtobuf();
        try
        {
            using (var stream = new FileStream(temporary, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = OwnerOnly,
            }))
            {
                stream.Write(protobuf);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, fullPath, overwrite);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new KeyFileException($"cannot write key file {fullPath}: {error.Message}", error);
        }
        finally
        {
            Sodium.Wipe(protobuf);
            // Gone after a successful rename; left behind by a failed write, unless its directory does not exist.
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>Reads the key at <paramref name="path"/>.</summary>
    /// <exception cref="KeyFileException">
    /// The file cannot be read, group or others may read or write it, or it is not a valid supported key.
    /// </exception>
    public static PeerPrivateKey Read(string path)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("key files rely on Unix file modes");
        var fullPath = Path.GetFullPath(path);
        Span<byte> content = stackalloc byte[MaxFileSize + 1];
        try
        {
            int length;
            try
            {
                // The mode is checked on the open handle, so a file swapped in after the check is never read.
                using var handle = File.OpenHandle(fullPath, FileMode.Open, FileAccess.Read);
                var mode = File.GetUnixFileMode(handle);
                if ((mode & GroupOrOthersReadWrite) != 0)
                    throw new KeyFileException(
                        $"key file {fullPath} has mode {Octal(mode)}: group or others can access it; " +
                        $"the key must be presumed leaked (if it is not, restrict it with: chmod 600 {fullPath})");
                length = ReadAll(handle, content);
            }
            catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
            {
                throw new KeyFileException($"cannot read key file {fullPath}: {failure.Message}", failure);
            }
            if (length > MaxFileSize)
                throw new KeyFileException($"key file {fullPath} is larger than {MaxFileSize} bytes: not a libp2p private key");

            var error = PeerPrivateKey.TryDecodeProtobuf(content[..length], out var key);
            return key ?? throw new KeyFileException($"key file {fullPath} is not a usable libp2p private key: {error.Describe()}");
        }
        finally
        {
            Sodium.Wipe(content);
        }
    }

    private static int ReadAll(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> destination)
    {
        var total = 0;
        int read;
        while (total < destination.Length && (read = RandomAccess.Read(handle, destination[total..], total)) > 0)
            total += read;
        return total;
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}
