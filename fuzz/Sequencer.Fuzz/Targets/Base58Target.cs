using Sequencer.Core.Formats;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="Base58.TryDecode"/> on arbitrary text into a destination of 0–63 bytes (the first input byte picks the
/// size; the rest is the text, one char per byte, so characters outside ASCII arrive too). Checks: a success writes
/// within the destination and re-encodes to the same text (base58btc has one spelling per byte string); a failure is
/// a character outside the alphabet or a value too large for the destination; <see cref="Base58.Decode"/> agrees;
/// and any bytes encode to text that decodes back to them, and not into one byte less.
/// </summary>
internal sealed class Base58Target : IFuzzTarget
{
    // Base58 is quadratic in the length, so every caller bounds what it decodes; peer ids are under 64 characters.
    private const int MaxTextLength = 256;
    private const int MaxDestinationLength = 63;

    public string Name => "base58";

    public IEnumerable<byte[]> Seeds()
    {
        // A peer id's text form (an SHA-256 multihash: 34 bytes) into a 34-byte destination.
        yield return [34, .. "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N"u8];
        // Leading zero bytes spelled as '1's.
        yield return [8, .. "1112"u8];
        // An identity-multihash secp256k1 peer id.
        yield return [39, .. "16Uiu2HAmLhLvBoYaoZfaMUKuibM6ac163GwKY74c5kiSLg5KvLpY"u8];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var capacity = input[0] % (MaxDestinationLength + 1);
        var payload = input[1..Math.Min(input.Length, MaxTextLength + 1)];
        Span<char> text = stackalloc char[payload.Length];
        for (var i = 0; i < payload.Length; i++)
            text[i] = (char)payload[i];

        // Stale bytes in the destination must not leak into the result.
        Span<byte> destination = stackalloc byte[capacity];
        destination.Fill(0xA5);
        if (Base58.TryDecode(text, destination, out var written))
        {
            ThrowIf(written > capacity, "TryDecode reports more bytes than the destination holds");
            ThrowIf(!Base58.Encode(destination[..written]).AsSpan().SequenceEqual(text),
                "a decoded value re-encodes to different text");
            ThrowIf(!Base58.Decode(text, capacity).AsSpan().SequenceEqual(destination[..written]),
                "Decode and TryDecode give different bytes");
        }
        else
        {
            ThrowIf(written != 0, "a failed TryDecode reports bytes written");
            if (IsInAlphabet(text))
            {
                // Each base58 digit carries less than a byte, so the text always fits in as many bytes as it has chars.
                Span<byte> large = stackalloc byte[text.Length];
                ThrowIf(!Base58.TryDecode(text, large, out var needed), "valid base58 does not decode into a large destination");
                ThrowIf(needed <= capacity, "valid base58 that fits the destination was refused");
            }
            ThrowIf(!ThrowsFormatException(text, capacity), "Decode accepted what TryDecode refused");
        }

        var encoded = Base58.Encode(payload);
        Span<byte> exact = stackalloc byte[payload.Length];
        ThrowIf(!Base58.TryDecode(encoded, exact, out var roundTripped) || roundTripped != payload.Length
            || !exact.SequenceEqual(payload), "encoded bytes do not decode back to themselves");
        ThrowIf(!payload.IsEmpty && Base58.TryDecode(encoded, exact[1..], out _),
            "encoded bytes decode into a destination one byte too small");
    }

    private static bool IsInAlphabet(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (c is not ((>= '1' and <= '9') or (>= 'A' and <= 'H') or (>= 'J' and <= 'N') or (>= 'P' and <= 'Z')
                or (>= 'a' and <= 'k') or (>= 'm' and <= 'z')))
                return false;
        }
        return true;
    }

    private static bool ThrowsFormatException(ReadOnlySpan<char> text, int capacity)
    {
        try
        {
            Base58.Decode(text, capacity);
            return false;
        }
        catch (FormatException)
        {
            return true;
        }
    }
}
