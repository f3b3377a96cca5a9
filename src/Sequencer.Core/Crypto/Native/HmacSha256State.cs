using System.Runtime.InteropServices;

namespace Sequencer.Core.Crypto.Native;

/// <summary>libsodium's <c>crypto_auth_hmacsha256_state</c>: the inner and outer SHA-256 states, 208 bytes.</summary>
[StructLayout(LayoutKind.Sequential, Size = 208)]
internal unsafe struct HmacSha256State
{
    private fixed ulong _words[26];
}
