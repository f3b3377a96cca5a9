using System.Numerics;
using FsCheck;
using FsCheck.Fluent;

namespace Sequencer.Core.Tests.Crypto.Secp256k1;

/// <summary>A 32-byte big-endian scalar in [1, n): a valid secret key, drawn by FsCheck so failures replay.</summary>
public sealed record ValidScalar(byte[] Bytes)
{
    public override string ToString() => Convert.ToHexStringLower(Bytes);
}

/// <summary>A 32-byte big-endian value that is not a valid secret key: 0, or n and above.</summary>
public sealed record InvalidScalar(byte[] Bytes)
{
    public override string ToString() => Convert.ToHexStringLower(Bytes);
}

public static class Secp256k1Arbitraries
{
    private static readonly Gen<byte> s_byte = Gen.Choose(0, 255).Select(value => (byte)value);

    public static Arbitrary<ValidScalar> ValidScalar() => Arb.From(
        Gen.Frequency(
            (1, Gen.Elements(BigInteger.One, EcdsaDer.Order - 1, BigInteger.One << 255, (EcdsaDer.Order - 1) >> 1)),
            (20, Gen.ArrayOf(s_byte, 32).Select(bytes => new BigInteger(bytes, isUnsigned: true, isBigEndian: true))))
        .Where(value => value > 0 && value < EcdsaDer.Order)
        .Select(value => new ValidScalar(ToBytes(value))));

    public static Arbitrary<InvalidScalar> InvalidScalar() => Arb.From(
        Gen.Frequency(
            (1, Gen.Elements(BigInteger.Zero, EcdsaDer.Order, (BigInteger.One << 256) - 1)),
            // 2^256 − n is just above 2^128, so n plus any 128-bit value still fits in 32 bytes.
            (5, Gen.ArrayOf(s_byte, 16).Select(bytes => EcdsaDer.Order + new BigInteger(bytes, isUnsigned: true, isBigEndian: true))))
        .Select(value => new InvalidScalar(ToBytes(value))));

    private static byte[] ToBytes(BigInteger value)
    {
        var bytes = new byte[32];
        value.TryWriteBytes(bytes.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }
}
