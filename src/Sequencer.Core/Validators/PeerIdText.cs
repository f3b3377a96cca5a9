using System.Buffers;
using Sequencer.Core.Formats;

namespace Sequencer.Core.Validators;

/// <summary>
/// Checks a libp2p peer id in its legacy text form (base58btc of a multihash, the form js-libp2p and go-libp2p print)
/// and yields its bytes, which is what the directory hash binds. Only the two multihashes libp2p uses for peer ids
/// are valid: identity (0x00) over a serialized public key of at most 42 bytes, and sha2-256 (0x12) with a 32-byte
/// digest.
/// </summary>
internal static class PeerIdText
{
    /// <summary>The longest valid peer id: identity code, length, 42 bytes of key.</summary>
    public const int MaxBytes = 2 + MaxInlineKeyBytes;

    /// <summary>Base58 of <see cref="MaxBytes"/> bytes never needs more characters than this.</summary>
    public const int MaxTextLength = 64;

    private const int MaxInlineKeyBytes = 42;
    private const ulong IdentityCode = 0x00;
    private const ulong Sha256Code = 0x12;
    private const int Sha256DigestLength = 32;

    /// <summary>The peer id's multihash bytes, or null when <paramref name="text"/> is not a valid peer id.</summary>
    public static byte[]? TryDecode(string text)
    {
        if (text.Length == 0 || text.Length > MaxTextLength)
            return null;
        Span<byte> buffer = stackalloc byte[MaxTextLength];
        if (!Base58.TryDecode(text, buffer, out var written))
            return null;
        var multihash = buffer[..written];
        if (UnsignedVarint.TryRead(multihash, out var code, out var codeLength) != OperationStatus.Done
            || UnsignedVarint.TryRead(multihash[codeLength..], out var digestLength, out var lengthLength) != OperationStatus.Done)
            return null;
        var digest = multihash[(codeLength + lengthLength)..];
        if ((ulong)digest.Length != digestLength)
            return null;
        var valid = code switch
        {
            IdentityCode => digest.Length is > 0 and <= MaxInlineKeyBytes,
            Sha256Code => digest.Length == Sha256DigestLength,
            _ => false,
        };
        return valid ? multihash.ToArray() : null;
    }
}
