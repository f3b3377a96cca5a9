namespace Sequencer.Core.Formats;

/// <summary>
/// Base58 with the Bitcoin alphabet (base58btc), the text form of libp2p peer ids. Quadratic in the input length, as
/// every base58 codec is, so callers bound the length they accept (peer ids are at most a few dozen bytes).
/// </summary>
public static class Base58
{
    private const string Alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static readonly sbyte[] s_digitValues = BuildDigitValues();

    public static string Encode(ReadOnlySpan<byte> data)
    {
        var leadingZeros = 0;
        while (leadingZeros < data.Length && data[leadingZeros] == 0)
            leadingZeros++;

        // log(256)/log(58) ≈ 1.366: this many base58 digits always suffice.
        var digits = new byte[(data.Length - leadingZeros) * 138 / 100 + 1];
        var length = 0;
        for (var i = leadingZeros; i < data.Length; i++)
        {
            int carry = data[i];
            for (var j = 0; j < length; j++)
            {
                carry += digits[j] << 8;
                digits[j] = (byte)(carry % 58);
                carry /= 58;
            }
            while (carry > 0)
            {
                digits[length++] = (byte)(carry % 58);
                carry /= 58;
            }
        }

        return string.Create(leadingZeros + length, (digits, leadingZeros, length), static (text, state) =>
        {
            text[..state.leadingZeros].Fill('1');
            for (var i = 0; i < state.length; i++)
                text[state.leadingZeros + i] = Alphabet[state.digits[state.length - 1 - i]];
        });
    }

    /// <summary>
    /// Decodes <paramref name="text"/> into <paramref name="destination"/>. False for a character outside the alphabet
    /// or a value that does not fit the destination.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination, out int written)
    {
        written = 0;
        var leadingOnes = 0;
        while (leadingOnes < text.Length && text[leadingOnes] == '1')
            leadingOnes++;
        if (leadingOnes > destination.Length)
            return false;

        // Big-endian accumulation at the end of the destination, growing leftwards.
        var length = 0;
        for (var i = leadingOnes; i < text.Length; i++)
        {
            var c = text[i];
            int carry = c < 128 ? s_digitValues[c] : -1;
            if (carry < 0)
                return false;
            for (var j = 0; j < length; j++)
            {
                var index = destination.Length - 1 - j;
                carry += destination[index] * 58;
                destination[index] = (byte)carry;
                carry >>= 8;
            }
            while (carry > 0)
            {
                if (length == destination.Length - leadingOnes)
                    return false;
                destination[destination.Length - 1 - length] = (byte)carry;
                length++;
                carry >>= 8;
            }
        }

        var total = leadingOnes + length;
        destination.Slice(destination.Length - length, length).CopyTo(destination[leadingOnes..]);
        destination[..leadingOnes].Clear();
        written = total;
        return true;
    }

    /// <summary>Decodes <paramref name="text"/> of at most <paramref name="maxBytes"/> decoded bytes, or throws <see cref="FormatException"/>.</summary>
    public static byte[] Decode(ReadOnlySpan<char> text, int maxBytes)
    {
        var buffer = new byte[maxBytes];
        if (!TryDecode(text, buffer, out var written))
            throw new FormatException($"not base58btc of at most {maxBytes} bytes");
        return buffer[..written];
    }

    private static sbyte[] BuildDigitValues()
    {
        var values = new sbyte[128];
        Array.Fill(values, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
            values[Alphabet[i]] = (sbyte)i;
        return values;
    }
}
