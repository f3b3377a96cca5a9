using System.Runtime.InteropServices;

namespace Sequencer.Core.Crypto.Native;

/// <summary>
/// libsodium's <c>crypto_hash_sha256_state</c> (uint32 state[8], uint64 count, uint8 buf[64]: 104 bytes, 8-aligned).
/// A plain value: copying it forks a hash in progress, which is how tagged hashes reuse their tag's midstate.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 104)]
internal unsafe struct Sha256State
{
    private fixed ulong _words[13];
}
