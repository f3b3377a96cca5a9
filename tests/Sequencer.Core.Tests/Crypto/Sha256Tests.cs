using System.Text;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Core.Tests.Crypto;

public sealed unsafe class Sha256Tests
{
    [Theory]
    [InlineData("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void OneShotMatchesFipsVectors(string input, string expectedHex)
    {
        Span<byte> digest = stackalloc byte[32];
        Sha256.Hash(Encoding.ASCII.GetBytes(input), digest);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(digest));
    }

    [Fact]
    public void IncrementalEqualsOneShotForEverySplit()
    {
        var data = Enumerable.Range(0, 200).Select(i => (byte)(i * 7)).ToArray();
        Span<byte> expected = stackalloc byte[32];
        Span<byte> actual = stackalloc byte[32];
        Sha256.Hash(data, expected);
        for (var split = 0; split <= data.Length; split++)
        {
            var hasher = Sha256.Start();
            hasher.Append(data.AsSpan(0, split));
            hasher.Append(data.AsSpan(split));
            hasher.Finish(actual);
            Assert.True(expected.SequenceEqual(actual), $"split at {split}");
        }
    }

    [Theory]
    [InlineData("BIP0340/challenge", "")]
    [InlineData("jmzk/sequencer/vote/v1", "some message bytes")]
    public void TaggedHashEqualsLibsecp256k1TaggedHash(string tag, string message)
    {
        var tagBytes = Encoding.UTF8.GetBytes(tag);
        // One spare byte so that pinning an empty message still yields a valid (non-NULL) pointer.
        var messageBytes = Encoding.UTF8.GetBytes(message + "\0");
        var messageLength = messageBytes.Length - 1;
        var expected = new byte[32];
        fixed (byte* hash = expected)
        fixed (byte* t = tagBytes)
        fixed (byte* m = messageBytes)
            Assert.Equal(1, Secp256k1Native.secp256k1_tagged_sha256(Secp256k1Context.Shared, hash, t, (nuint)tagBytes.Length, m, (nuint)messageLength));

        Span<byte> actual = stackalloc byte[32];
        new TaggedHash(tag).Compute(messageBytes.AsSpan(0, messageLength), actual);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(actual));
    }

    [Fact]
    public void TaggedHashMidstateIsReusable()
    {
        var tagged = new TaggedHash("reuse");
        Span<byte> first = stackalloc byte[32];
        Span<byte> second = stackalloc byte[32];
        tagged.Compute("x"u8, first);
        tagged.Compute("y"u8, second);
        tagged.Compute("x"u8, second);
        Assert.True(first.SequenceEqual(second));
    }
}
