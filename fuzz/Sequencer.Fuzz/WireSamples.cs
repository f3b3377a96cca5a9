using System.Buffers;
using Sequencer.Core.Primitives;

namespace Sequencer.Fuzz;

/// <summary>Field values for the wire targets' seeds: recognisable fill patterns, valid where the protocol checks.</summary>
internal static class WireSamples
{
    public static RoundId Round(byte fill) => new(chainId: 0x4A4D5A, height: 1_000_000UL + fill, Hash(fill));

    public static Hash32 Hash(byte fill)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Length];
        bytes.Fill(fill);
        return Hash32.FromSpan(bytes);
    }

    public static SchnorrSignature Signature(byte fill)
    {
        Span<byte> bytes = stackalloc byte[SchnorrSignature.Length];
        bytes.Fill(fill);
        return SchnorrSignature.FromSpan(bytes);
    }

    /// <summary>An 81-byte ECVRF proof shape: a compressed point prefix, then filler.</summary>
    public static VrfProofBytes Proof(byte fill)
    {
        Span<byte> bytes = stackalloc byte[VrfProofBytes.Length];
        bytes.Fill(fill);
        bytes[0] = 0x02;
        return VrfProofBytes.FromSpan(bytes);
    }

    public static byte[] Encoded(Action<IBufferWriter<byte>> encode)
    {
        var output = new ArrayBufferWriter<byte>();
        encode(output);
        return output.WrittenSpan.ToArray();
    }
}
