using System.Runtime.InteropServices;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Crypto.Curve25519;

/// <summary>
/// A fixed-size block of unmanaged memory for secret key bytes: the garbage collector never moves or copies it, and
/// releasing it (dispose or finalizer) wipes it before freeing. Being a <see cref="SafeHandle"/>, a native call in
/// progress holds a reference (<see cref="SafeHandle.DangerousAddRef"/>) so a concurrent dispose cannot free the
/// memory under it.
/// </summary>
internal sealed unsafe class SecretKeyMemory : SafeHandle
{
    public SecretKeyMemory(int size) : base(0, ownsHandle: true)
    {
        Size = size;
        SetHandle((nint)NativeMemory.AllocZeroed((nuint)size));
    }

    public int Size { get; }

    public override bool IsInvalid => handle == 0;

    public byte* Pointer => (byte*)handle;

    protected override bool ReleaseHandle()
    {
        SodiumNative.sodium_memzero((void*)handle, (nuint)Size);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
