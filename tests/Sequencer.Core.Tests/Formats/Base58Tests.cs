using FsCheck.Xunit;
using Sequencer.Core.Formats;

namespace Sequencer.Core.Tests.Formats;

public sealed class Base58Tests
{
    // From Bitcoin Core's src/test/data/base58_encode_decode.json.
    [Theory]
    [InlineData("", "")]
    [InlineData("61", "2g")]
    [InlineData("626262", "a3gV")]
    [InlineData("636363", "aPEr")]
    [InlineData("73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2")]
    [InlineData("00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L")]
    [InlineData("516b6fcd0f", "ABnLTmg")]
    [InlineData("bf4f89001e670274dd", "3SEo3LWLoPntC")]
    [InlineData("572e4794", "3EFU7m")]
    [InlineData("ecac89cad93923c02321", "EJDM8drfXA6uyA")]
    [InlineData("10c8511e", "Rt5zm")]
    [InlineData("00000000000000000000", "1111111111")]
    public void MatchesBitcoinVectors(string hex, string text)
    {
        Assert.Equal(text, Base58.Encode(Convert.FromHexString(hex)));
        Assert.Equal(hex, Convert.ToHexStringLower(Base58.Decode(text, 64)));
    }

    [Property]
    public bool RoundTrips(byte[] data) =>
        Base58.Decode(Base58.Encode(data), data.Length).AsSpan().SequenceEqual(data);

    [Theory]
    [InlineData("0OIl")]
    [InlineData("abc!")]
    [InlineData("é")]
    public void RefusesCharactersOutsideTheAlphabet(string text)
    {
        Assert.False(Base58.TryDecode(text, new byte[16], out _));
        Assert.Throws<FormatException>(() => Base58.Decode(text, 16));
    }

    [Fact]
    public void RefusesValuesLargerThanTheDestination()
    {
        var text = Base58.Encode(new byte[] { 1, 2, 3, 4, 5 });
        Assert.False(Base58.TryDecode(text, new byte[4], out _));
        Assert.True(Base58.TryDecode(text, new byte[5], out var written));
        Assert.Equal(5, written);
    }
}
