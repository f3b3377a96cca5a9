using System.Runtime.InteropServices;

namespace Sequencer.Core.Safety;

/// <summary>
/// fsync(2) of a directory, which makes a create, rename or unlink inside it durable. Renaming a fully synced temp
/// file over the target is atomic, but until the directory's own entry table reaches the disk a power loss can bring
/// back the old name — the old safety record, after its replacement's signature already left the node.
/// </summary>
/// <remarks>
/// <para>Why libc: .NET (10) refuses to open a directory — <c>File.OpenHandle</c> and <c>FileStream</c> both throw
/// <see cref="UnauthorizedAccessException"/> for one on Linux, so <see cref="RandomAccess.FlushToDisk"/> cannot
/// reach it. Three libc calls do; the name "libc" binds under the JIT and in a Native AOT build (both checked on
/// linux-x64 with glibc).</para>
/// <para><c>open</c> is variadic in C; calling it with two arguments (no <c>O_CREAT</c>, so no mode) is the same
/// call on the Linux x64 and arm64 ABIs. <c>O_RDONLY</c> opens a directory without <c>O_DIRECTORY</c>, whose value
/// differs between those two architectures.</para>
/// <para>EINVAL from fsync means the filesystem cannot sync directories at all (some network and FUSE filesystems);
/// PostgreSQL treats it the same way: nothing more can be done there, so it is not an error.</para>
/// </remarks>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;
    private const int CloseOnExec = 0x80000;
    private const int InvalidArgument = 22;
    private const int Interrupted = 4;

    /// <exception cref="IOException">The directory could not be opened or synced (the errno and its text).</exception>
    public static void Flush(string directory)
    {
        if (OperatingSystem.IsWindows())
            throw new PlatformNotSupportedException("durable safety state needs POSIX directory fsync");
        var descriptor = Open(directory, ReadOnly | CloseOnExec);
        if (descriptor < 0)
            throw Failure("open", directory, Marshal.GetLastPInvokeError());
        try
        {
            int result;
            int error;
            do
            {
                result = FileSync(descriptor);
                error = result < 0 ? Marshal.GetLastPInvokeError() : 0;
            }
            while (result < 0 && error == Interrupted);
            if (result < 0 && error != InvalidArgument)
                throw Failure("fsync", directory, error);
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    private static IOException Failure(string call, string directory, int errno) =>
        new($"{call}({directory}) failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FileSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
