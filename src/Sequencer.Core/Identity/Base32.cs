namespace Sequencer.Core.Identity;

/// <summary>
/// RFC 4648 base32, lowercase, no padding: multibase <c>b</c>, the text form of peer-id CIDs. Decoding is strict so
/// that a CID has one spelling: only the lowercase alphabet, no padding, no impossible lengths, and the unused
/// low bits of the last character must be zero.
/// </summary>
internal static class Base32
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static int GetEncodedLength(int byteCount) => (byteCount * 8 + 4) / 5;

    public static void Encode(ReadOnlySpan<byte> data, Span<char> destination)
    {
        var buffer = 0;
        var bits = 0;
        var written = 0;
        foreach (var b in data)
        {
            buffer = ((buffer << 8) | b) & 0xFFF;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                destination[written++] = Alphabet[(buffer >> bits) & 31];
            }
        }
        if (bits > 0)
            destination[written] = Alphabet[(buffer << (5 - bits)) & 31];
    }

    /// <summary>False for a character outside the alphabet, a length no byte string encodes to, non-zero trailing bits, or too small a destination.</summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        // 8 characters carry 5 bytes; a final group of 1, 3 or 6 characters cannot come from whole bytes.
        if ((text.Length % 8) is 1 or 3 or 6)
            return false;
        var byteCount = text.Length * 5 / 8;
        if (byteCount > destination.Length)
            return false;
        var buffer = 0;
        var bits = 0;
        foreach (var c in text)
        {
            int value = c switch
            {
                >= 'a' and <= 'z' => c - 'a',
                >= '2' and <= '7' => c - '2' + 26,
                _ => -1,
            };
            if (value < 0)
                return false;
            buffer = ((buffer << 5) | value) & 0xFFF;
            bits += 5;
            if (bits >= 8)
            {
                bits -= 8;
                destination[written++] = (byte)(buffer >> bits);
            }
        }
        if ((buffer & ((1 << bits) - 1)) != 0)
            return false;
        return true;
    }
}
