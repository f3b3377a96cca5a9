using FsCheck.Xunit;
using Sequencer.Core.Crypto;

namespace Sequencer.Core.Tests.Crypto;

public sealed class ChaChaPolyTests
{
    // RFC 8439 §2.8.2: the AEAD example ("Ladies and Gentlemen of the class of '99…"), key 80..9f,
    // nonce = constant 07000000 ‖ IV 4041424344454647, AAD 50515253c0c1c2c3c4c5c6c7.
    private const string Rfc8439Plaintext =
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
    private const string Rfc8439Key = "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
    private const string Rfc8439Nonce = "070000004041424344454647";
    private const string Rfc8439Aad = "50515253c0c1c2c3c4c5c6c7";
    private const string Rfc8439Ciphertext =
        "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b" +
        "1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc" +
        "3ff4def08e4b7a9de576d26586cec64b6116";
    private const string Rfc8439Tag = "1ae10b594f09e26a7e902ecbd0600691";

    [Fact]
    public void MatchesRfc8439()
    {
        var plaintext = System.Text.Encoding.ASCII.GetBytes(Rfc8439Plaintext);
        var output = new byte[plaintext.Length + ChaChaPoly.TagSize];
        ChaChaPoly.Encrypt(Convert.FromHexString(Rfc8439Key), Convert.FromHexString(Rfc8439Nonce),
            Convert.FromHexString(Rfc8439Aad), plaintext, output);
        Assert.Equal(Rfc8439Ciphertext + Rfc8439Tag, Convert.ToHexStringLower(output));

        var decrypted = new byte[plaintext.Length];
        Assert.True(ChaChaPoly.TryDecrypt(Convert.FromHexString(Rfc8439Key), Convert.FromHexString(Rfc8439Nonce),
            Convert.FromHexString(Rfc8439Aad), output, decrypted));
        Assert.Equal(plaintext, decrypted);
    }

    [Fact]
    public void CounterNonceIsFourZeroBytesThenTheCounterLittleEndian()
    {
        var key = Key(7);
        var plaintext = "noise"u8.ToArray();
        var withCounter = new byte[plaintext.Length + 16];
        var withBytes = new byte[plaintext.Length + 16];
        ChaChaPoly.Encrypt(key, 0x0102030405060708UL, "ad"u8, plaintext, withCounter);
        ChaChaPoly.Encrypt(key, Convert.FromHexString("000000000807060504030201"), "ad"u8, plaintext, withBytes);
        Assert.Equal(withBytes, withCounter);
    }

    [Property]
    public bool RoundTrips(byte[] plaintext, byte[] associatedData, ulong nonce)
    {
        var key = Key(nonce);
        var sealedBytes = new byte[plaintext.Length + ChaChaPoly.TagSize];
        ChaChaPoly.Encrypt(key, nonce, associatedData, plaintext, sealedBytes);
        var opened = new byte[plaintext.Length];
        return ChaChaPoly.TryDecrypt(key, nonce, associatedData, sealedBytes, opened) && opened.AsSpan().SequenceEqual(plaintext);
    }

    [Property]
    public bool InPlaceEqualsOutOfPlace(byte[] plaintext, byte[] associatedData, ulong nonce)
    {
        var key = Key(nonce ^ 0x55);
        var outOfPlace = new byte[plaintext.Length + ChaChaPoly.TagSize];
        ChaChaPoly.Encrypt(key, nonce, associatedData, plaintext, outOfPlace);

        var buffer = new byte[plaintext.Length + ChaChaPoly.TagSize];
        plaintext.CopyTo(buffer, 0);
        ChaChaPoly.Encrypt(key, nonce, associatedData, buffer.AsSpan(0, plaintext.Length), buffer);
        if (!buffer.AsSpan().SequenceEqual(outOfPlace))
            return false;

        return ChaChaPoly.TryDecrypt(key, nonce, associatedData, buffer, buffer.AsSpan(0, plaintext.Length))
            && buffer.AsSpan(0, plaintext.Length).SequenceEqual(plaintext);
    }

    [Property]
    public bool AnyFlippedBitOfCiphertextTagOrAssociatedDataFailsDecryption(byte[] plaintext, byte[] associatedData, uint position)
    {
        var key = Key(3);
        var sealedBytes = new byte[plaintext.Length + ChaChaPoly.TagSize];
        ChaChaPoly.Encrypt(key, 9, associatedData, plaintext, sealedBytes);

        var bit = (int)(position % (uint)((sealedBytes.Length + associatedData.Length) * 8));
        var target = bit < sealedBytes.Length * 8 ? sealedBytes : associatedData;
        var index = bit < sealedBytes.Length * 8 ? bit : bit - sealedBytes.Length * 8;
        target[index / 8] ^= (byte)(1 << (index % 8));

        var opened = Enumerable.Repeat((byte)0xEE, plaintext.Length).ToArray();
        return !ChaChaPoly.TryDecrypt(key, 9, associatedData, sealedBytes, opened) && opened.All(b => b == 0);
    }

    [Fact]
    public void WrongKeyOrNonceFailsDecryption()
    {
        var sealedBytes = new byte[5 + 16];
        ChaChaPoly.Encrypt(Key(1), 1, [], "hello"u8, sealedBytes);
        var opened = new byte[5];
        Assert.False(ChaChaPoly.TryDecrypt(Key(2), 1, [], sealedBytes, opened));
        Assert.False(ChaChaPoly.TryDecrypt(Key(1), 2, [], sealedBytes, opened));
        Assert.True(ChaChaPoly.TryDecrypt(Key(1), 1, [], sealedBytes, opened));
    }

    [Fact]
    public void InputShorterThanATagIsRefusedWithoutException()
    {
        Assert.False(ChaChaPoly.TryDecrypt(Key(1), 0, [], new byte[15], new byte[15]));
        Assert.False(ChaChaPoly.TryDecrypt(Key(1), 0, [], [], []));
    }

    [Fact]
    public void EmptyPlaintextProducesAndChecksATag()
    {
        var tag = new byte[16];
        ChaChaPoly.Encrypt(Key(4), 0, "header"u8, [], tag);
        Assert.True(ChaChaPoly.TryDecrypt(Key(4), 0, "header"u8, tag, []));
        Assert.False(ChaChaPoly.TryDecrypt(Key(4), 0, "Header"u8, tag, []));
    }

    [Fact]
    public void RefusesMisuse()
    {
        var buffer = new byte[64];
        Assert.Throws<ArgumentException>(() => ChaChaPoly.Encrypt(new byte[31], 0, [], buffer.AsSpan(0, 8), new byte[24]));
        Assert.Throws<ArgumentException>(() => ChaChaPoly.Encrypt(Key(1), 0, [], buffer.AsSpan(0, 8), new byte[23]));
        Assert.Throws<ArgumentException>(() => ChaChaPoly.Encrypt(Key(1), new byte[8], [], buffer.AsSpan(0, 8), new byte[24]));
        // Shifted overlap would read bytes already overwritten.
        Assert.Throws<ArgumentException>(() => ChaChaPoly.Encrypt(Key(1), 0, [], buffer.AsSpan(0, 8), buffer.AsSpan(1, 24)));
        Assert.Throws<ArgumentException>(() => ChaChaPoly.TryDecrypt(Key(1), 0, [], new byte[24], new byte[7]));
    }

    private static byte[] Key(ulong seed)
    {
        var key = new byte[ChaChaPoly.KeySize];
        for (var i = 0; i < key.Length; i++)
            key[i] = (byte)(seed * 31 + (ulong)i);
        return key;
    }
}
