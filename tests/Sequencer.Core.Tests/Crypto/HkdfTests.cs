using FsCheck.Xunit;
using Sequencer.Core.Crypto;

namespace Sequencer.Core.Tests.Crypto;

public sealed class HkdfTests
{
    // RFC 5869 Appendix A, test cases 1–3 (SHA-256): IKM, salt, info, L, PRK, OKM.
    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c", "f0f1f2f3f4f5f6f7f8f9", 42,
        "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
        "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865")]
    [InlineData(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
        "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
        "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
        82,
        "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
        "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71cc30c58179ec3e87c14c01d5c1f3434f1d87")]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
        "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
        "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")]
    public void MatchesRfc5869(string ikmHex, string saltHex, string infoHex, int length, string prkHex, string okmHex)
    {
        var prk = new byte[32];
        Hkdf.Extract(Convert.FromHexString(saltHex), Convert.FromHexString(ikmHex), prk);
        Assert.Equal(prkHex, Convert.ToHexStringLower(prk));

        var okm = new byte[length];
        Hkdf.Expand(prk, Convert.FromHexString(infoHex), okm);
        Assert.Equal(okmHex, Convert.ToHexStringLower(okm));
    }

    [Property]
    public bool NoiseKeysAreTheFirstBlocksOfExtractThenExpand(byte[] chainingKeySeed, byte[] inputKeyMaterial)
    {
        var chainingKey = new byte[32];
        chainingKeySeed.AsSpan(0, Math.Min(32, chainingKeySeed.Length)).CopyTo(chainingKey);

        var prk = new byte[32];
        Hkdf.Extract(chainingKey, inputKeyMaterial, prk);
        var expected = new byte[96];
        Hkdf.Expand(prk, [], expected);

        var outputs = new byte[96];
        Hkdf.DeriveNoiseKeys(chainingKey, inputKeyMaterial, outputs.AsSpan(0, 32), outputs.AsSpan(32, 32), outputs.AsSpan(64, 32));
        var two = new byte[64];
        Hkdf.DeriveNoiseKeys(chainingKey, inputKeyMaterial, two.AsSpan(0, 32), two.AsSpan(32, 32));
        return outputs.AsSpan().SequenceEqual(expected) && two.AsSpan().SequenceEqual(expected.AsSpan(0, 64));
    }

    [Fact]
    public void NoiseOutputMayOverwriteTheChainingKey()
    {
        var chainingKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var ikm = "dh"u8.ToArray();
        var separate1 = new byte[32];
        var separate2 = new byte[32];
        Hkdf.DeriveNoiseKeys(chainingKey, ikm, separate1, separate2);

        var key = new byte[32];
        Hkdf.DeriveNoiseKeys(chainingKey, ikm, chainingKey, key);
        Assert.Equal(separate1, chainingKey);
        Assert.Equal(separate2, key);
    }

    [Fact]
    public void ExpandOutputMayOverlapTheKey()
    {
        var prk = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var expected = new byte[64];
        Hkdf.Expand(prk, "info"u8, expected);
        var buffer = new byte[64];
        prk.CopyTo(buffer, 0);
        Hkdf.Expand(buffer.AsSpan(0, 32), "info"u8, buffer);
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void RefusesOversizedOutputAndWrongNoiseSizes()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Hkdf.Expand(new byte[32], [], new byte[255 * 32 + 1]));
        Hkdf.Expand(new byte[32], [], new byte[255 * 32]);
        Assert.Throws<ArgumentException>(() => Hkdf.DeriveNoiseKeys(new byte[31], [], new byte[32], new byte[32]));
        Assert.Throws<ArgumentException>(() => Hkdf.DeriveNoiseKeys(new byte[32], [], new byte[16], new byte[32]));
    }
}
