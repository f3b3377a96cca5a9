using Microsoft.Win32.SafeHandles;

namespace Sequencer.Core.Safety;

/// <summary>
/// The DESIGN §6 recipe for state that must survive a crash, in one place: files are created mode 0600 (directories
/// 0700), replaced by write-temp → fsync → rename → fsync the directory, and a new directory entry is made durable by
/// fsyncing its parent. <see cref="RandomAccess.FlushToDisk"/> is fsync(2) on Linux: data and size reach the disk
/// before the rename can expose the file under its real name.
/// </summary>
internal static class DurableFile
{
    public const UnixFileMode PrivateFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public const UnixFileMode PrivateDirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode GroupOrOther = UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    public static string TempPathFor(string path) => path + ".tmp";

    /// <summary>
    /// Creates the directory (0700, with any missing parents) if it is missing, and makes every new entry durable by
    /// fsyncing the directory that holds it; returns whether anything was created.
    /// </summary>
    public static bool EnsureDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("durable safety state needs POSIX file modes and fsync");
        directory = Path.GetFullPath(directory);
        if (Directory.Exists(directory))
            return false;
        var created = new List<string>();
        for (var missing = directory; missing is not null && !Directory.Exists(missing); missing = Path.GetDirectoryName(missing))
            created.Add(missing);
        Directory.CreateDirectory(directory, PrivateDirectoryMode);
        foreach (var entry in created)
            DirectorySync.Flush(Path.GetDirectoryName(entry) ?? entry);
        return true;
    }

    /// <summary>
    /// Atomically replaces <paramref name="path"/> with <paramref name="contents"/>: after a crash at any point the
    /// file holds either the old bytes or the new ones, never a mix, and once this returns, the new ones.
    /// </summary>
    public static void Replace(string path, ReadOnlySpan<byte> contents)
    {
        var temp = TempPathFor(path);
        // A temp file left by a crash mid-write is garbage (its rename never happened). Deleting it first lets
        // CreateNew give the new one our mode; truncating an existing file would keep whatever mode it had.
        File.Delete(temp);
        using (var handle = CreatePrivate(temp))
        {
            RandomAccess.Write(handle, contents, 0);
            RandomAccess.FlushToDisk(handle);
        }
        File.Move(temp, path, overwrite: true);
        DirectorySync.Flush(DirectoryOf(path));
    }

    /// <summary>Creates a new file with mode 0600 for reading and writing; fails if it exists.</summary>
    public static SafeFileHandle CreatePrivate(string path)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("durable safety state needs POSIX file modes and fsync");
        // File.OpenHandle takes no creation mode, so the mode is set (fchmod) before a single byte is written.
        var handle = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        try
        {
            File.SetUnixFileMode(handle, PrivateFileMode);
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Refuses a file that grants group or others any access: it holds a validator's private state.</summary>
    public static void EnsurePrivate(SafeFileHandle handle, string path)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("durable safety state needs POSIX file modes and fsync");
        var mode = File.GetUnixFileMode(handle);
        if ((mode & GroupOrOther) != 0)
            throw new SafetyStateException(path, SafetyStateDefect.InsecurePermissions, 0,
                $"mode {Convert.ToString((int)mode, 8)} grants group or others access; expected 600 (chmod 600 {path})");
    }

    public static string DirectoryOf(string path) =>
        Path.GetDirectoryName(Path.GetFullPath(path)) ?? throw new ArgumentException($"{path} has no directory", nameof(path));
}
