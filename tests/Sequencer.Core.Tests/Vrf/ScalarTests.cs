using System.Numerics;
using FsCheck.Xunit;
using Sequencer.Core.Vrf;

namespace Sequencer.Core.Tests.Vrf;

/// <summary>The libsecp256k1-backed scalar operations, checked against BigInteger (here, in tests, only).</summary>
public sealed class ScalarTests
{
    private static readonly BigInteger N = ToInteger(VrfTestKeys.GroupOrder);

    public static TheoryData<string> EdgeValues =>
    [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        "8000000000000000000000000000000000000000000000000000000000000000",
        "8000000000000000000000000000000000000000000000000000000000000001",
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140",
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    ];

    [Theory]
    [MemberData(nameof(EdgeValues))]
    public void ReduceModOrderMatchesBigIntegerAtTheEdges(string valueHex)
    {
        var value = Convert.FromHexString(valueHex);
        var reduced = new byte[32];
        Scalar.ReduceModOrder(value, reduced);
        Assert.Equal(ToBytes(ToInteger(value) % N), reduced);
    }

    [Property]
    public bool ReduceModOrderMatchesBigInteger(byte[] seed, bool setTopBit)
    {
        var value = VrfTestKeys.SecretFromSeed(seed);
        if (setTopBit)
            value[0] |= 0x80;
        var reduced = new byte[32];
        Scalar.ReduceModOrder(value, reduced);
        return reduced.AsSpan().SequenceEqual(ToBytes(ToInteger(value) % N));
    }

    [Property]
    public bool MultiplyAddMatchesBigInteger(byte[] kSeed, byte[] cSeed, byte[] xSeed, bool zeroChallenge)
    {
        var k = VrfTestKeys.SecretFromSeed(kSeed);
        var x = VrfTestKeys.SecretFromSeed(xSeed);
        var c = new byte[32];
        if (!zeroChallenge)
            VrfTestKeys.SecretFromSeed(cSeed).AsSpan(16).CopyTo(c.AsSpan(16));
        var s = new byte[32];
        Scalar.MultiplyAdd(k, c, x, s);
        return s.AsSpan().SequenceEqual(ToBytes((ToInteger(k) + ToInteger(c) * ToInteger(x)) % N));
    }

    [Fact]
    public void MultiplyAddGivesZeroWhenTheSumIsTheGroupOrder()
    {
        // k = n − c·x mod n makes k + c·x ≡ 0: libsecp256k1 refuses to return a zero key, Scalar must return zero.
        var x = VrfTestKeys.SecretFromSeed("x"u8);
        var c = new byte[32];
        c[31] = 3;
        var k = ToBytes((N - ToInteger(c) * ToInteger(x) % N) % N);
        var s = new byte[32];
        s[0] = 0xAA;
        Scalar.MultiplyAdd(k, c, x, s);
        Assert.Equal(new byte[32], s);
    }

    [Fact]
    public void RangeCheckIsOpenAtBothEnds()
    {
        Assert.False(Scalar.IsInRange(new byte[32]));
        Assert.False(Scalar.IsInRange(VrfTestKeys.GroupOrder));
        Assert.True(Scalar.IsInRange(ToBytes(N - 1)));
        Assert.True(Scalar.IsInRange(ToBytes(BigInteger.One)));
        Assert.False(Scalar.IsInRange(new byte[31]));
    }

    private static BigInteger ToInteger(ReadOnlySpan<byte> bigEndian) => new(bigEndian, isUnsigned: true, isBigEndian: true);

    private static byte[] ToBytes(BigInteger value)
    {
        var bytes = new byte[32];
        Assert.True(value.TryWriteBytes(bytes.AsSpan(32 - value.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true));
        return bytes;
    }
}
