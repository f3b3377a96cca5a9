using System.Runtime.InteropServices;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto;

/// <summary>
/// The process's libsecp256k1 contexts. A context is created once and reused: creating one costs far more than a
/// signature. All operations the node performs take the context as <c>const</c>, so one context is safe to share
/// between threads; <see cref="CreateWorker"/> exists for verifier threads that want one of their own (no false
/// sharing of the context's cache lines).
/// </summary>
public static unsafe class Secp256k1Context
{
    private static readonly nint s_shared = CreateRandomized();

    /// <summary>The shared, randomised context (blinding against side channels in signing).</summary>
    internal static nint Shared => s_shared;

    /// <summary>A new randomised context owned by the caller, who must pass it to <see cref="Destroy"/>.</summary>
    internal static nint CreateWorker() => CreateRandomized();

    internal static void Destroy(nint context) => Secp256k1Native.secp256k1_context_destroy(context);

    private static nint CreateRandomized()
    {
        var context = Secp256k1Native.secp256k1_context_create(Secp256k1Native.ContextNone);
        if (context == 0)
            throw new CryptographicLibraryException("libsecp256k1 could not create a context");
        Secp256k1Native.secp256k1_context_set_illegal_callback(context, &OnIllegalArgument, null);
        Span<byte> seed = stackalloc byte[32];
        Sodium.FillRandom(seed);
        fixed (byte* p = seed)
        {
            if (Secp256k1Native.secp256k1_context_randomize(context, p) != 1)
                throw new CryptographicLibraryException("libsecp256k1 could not randomise its context");
        }
        Sodium.Wipe(seed);
        return context;
    }

    /// <summary>
    /// Replaces libsecp256k1's default, abort(): the call that hit an illegal argument then returns 0, which every
    /// caller already treats as "invalid input". The count lets tests prove no code path relies on it.
    /// </summary>
    [UnmanagedCallersOnly]
    private static void OnIllegalArgument(byte* message, void* data) => Interlocked.Increment(ref s_illegalArgumentCalls);

    private static long s_illegalArgumentCalls;

    /// <summary>How many calls reached libsecp256k1 with an illegal argument (a bug in our code if ever non-zero).</summary>
    internal static long IllegalArgumentCalls => Interlocked.Read(ref s_illegalArgumentCalls);
}
