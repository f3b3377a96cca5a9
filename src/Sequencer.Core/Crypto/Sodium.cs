using System.Runtime.InteropServices;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto;

/// <summary>Process-wide libsodium initialisation and the helpers every caller of it needs.</summary>
public static unsafe class Sodium
{
    private static readonly bool s_initialized = Initialize();

    /// <summary>libsodium's version, e.g. "1.0.18".</summary>
    public static string Version
    {
        get
        {
            EnsureInitialized();
            return Marshal.PtrToStringUTF8(SodiumNative.sodium_version_string()) ?? "unknown";
        }
    }

    /// <summary>Runs <c>sodium_init</c> once; every entry point into libsodium calls this first.</summary>
    public static void EnsureInitialized()
    {
        if (!s_initialized)
            throw new CryptographicLibraryException("libsodium failed to initialise (sodium_init returned -1)");
    }

    /// <summary>Fills <paramref name="destination"/> from the operating system's CSPRNG (getrandom).</summary>
    public static void FillRandom(Span<byte> destination)
    {
        EnsureInitialized();
        fixed (byte* p = destination)
            SodiumNative.randombytes_buf(p, (nuint)destination.Length);
    }

    /// <summary>Overwrites secret bytes in a way the compiler may not elide.</summary>
    public static void Wipe(Span<byte> secret)
    {
        fixed (byte* p = secret)
            SodiumNative.sodium_memzero(p, (nuint)secret.Length);
    }

    private static bool Initialize() => SodiumNative.sodium_init() >= 0;
}
