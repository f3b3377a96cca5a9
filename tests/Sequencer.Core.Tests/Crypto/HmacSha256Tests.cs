using Sequencer.Core.Crypto;

namespace Sequencer.Core.Tests.Crypto;

public sealed class HmacSha256Tests
{
    // RFC 4231 §4: test cases 1, 2, 3 and 6 (a key longer than the block size is hashed first).
    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")]
    [InlineData("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd", "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374", "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")]
    public void MatchesRfc4231(string keyHex, string dataHex, string expectedHex)
    {
        Span<byte> mac = stackalloc byte[32];
        HmacSha256.Compute(Convert.FromHexString(keyHex), Convert.FromHexString(dataHex), mac);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(mac));
    }

    [Fact]
    public void TwoPartInputEqualsConcatenation()
    {
        var key = new byte[] { 1, 2, 3 };
        var data = Enumerable.Range(0, 90).Select(i => (byte)i).ToArray();
        Span<byte> whole = stackalloc byte[32];
        Span<byte> parts = stackalloc byte[32];
        HmacSha256.Compute(key, data, whole);
        HmacSha256.Compute(key, data.AsSpan(0, 33), data.AsSpan(33), parts);
        Assert.True(whole.SequenceEqual(parts));
    }

    [Fact]
    public void EmptyKeyAndMessageAreAccepted()
    {
        Span<byte> mac = stackalloc byte[32];
        HmacSha256.Compute([], [], mac);
        Assert.Equal("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", Convert.ToHexStringLower(mac));
    }
}
