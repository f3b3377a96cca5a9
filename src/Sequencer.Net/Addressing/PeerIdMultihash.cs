using System.Buffers;
using Sequencer.Core.Formats;

namespace Sequencer.Net.Addressing;

/// <summary>
/// The shape check for the value of a /p2p component: a multihash as peer ids use them (libp2p peer-ids spec). Keys
/// whose protobuf encoding is at most 42 bytes are inlined with the identity hash (code 0x00); larger keys are hashed
/// with sha2-256 (code 0x12, 32-byte digest). Anything else cannot name a peer, so it is refused at the address layer
/// before anyone tries to dial it.
/// </summary>
internal static class PeerIdMultihash
{
    public const int MaxLength = 2 + MaxIdentityDigestLength;

    private const ulong IdentityCode = 0x00;
    private const ulong Sha256Code = 0x12;
    private const int MaxIdentityDigestLength = 42;
    private const int Sha256DigestLength = 32;

    public static bool IsValid(ReadOnlySpan<byte> multihash)
    {
        if (UnsignedVarint.TryRead(multihash, out var code, out var codeLength) != OperationStatus.Done)
            return false;
        var rest = multihash[codeLength..];
        if (UnsignedVarint.TryRead(rest, out var digestLength, out var lengthLength) != OperationStatus.Done)
            return false;
        if ((ulong)(rest.Length - lengthLength) != digestLength)
            return false;
        return code switch
        {
            IdentityCode => digestLength is > 0 and <= MaxIdentityDigestLength,
            Sha256Code => digestLength == Sha256DigestLength,
            _ => false,
        };
    }
}
