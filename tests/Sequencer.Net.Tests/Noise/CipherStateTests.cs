using Sequencer.Core.Crypto;
using Sequencer.Net.Noise;

namespace Sequencer.Net.Tests.Noise;

/// <summary>The Noise CipherState's nonce counter (Noise spec §5.1) and its agreement with the raw cipher.</summary>
public sealed class CipherStateTests
{
    private static readonly byte[] s_key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void EachMessageUsesTheNextNonceStartingAtZero()
    {
        using var cipher = new CipherState();
        cipher.InitializeKey(s_key);
        byte[] plaintext = [1, 2, 3, 4, 5];
        for (ulong n = 0; n < 5; n++)
        {
            Assert.Equal(n, cipher.Nonce);
            var ciphertext = new byte[plaintext.Length + CipherState.TagSize];
            Assert.Equal(NoiseError.None, cipher.EncryptWithAd([], plaintext, ciphertext, out var written));
            Assert.Equal(ciphertext.Length, written);
            var expected = new byte[ciphertext.Length];
            ChaChaPoly.Encrypt(s_key, n, [], plaintext, expected);
            Assert.Equal(expected, ciphertext);
        }
        Assert.Equal(5UL, cipher.Nonce);
    }

    [Fact]
    public void TheLastUsableNonceIsTwoToTheSixtyFourMinusTwo()
    {
        using var sender = new CipherState();
        using var receiver = new CipherState();
        sender.InitializeKey(s_key);
        receiver.InitializeKey(s_key);
        sender.SetNonce(ulong.MaxValue - 1);
        receiver.SetNonce(ulong.MaxValue - 1);
        byte[] plaintext = [42];
        var ciphertext = new byte[1 + CipherState.TagSize];

        Assert.Equal(NoiseError.None, sender.EncryptWithAd([], plaintext, ciphertext, out _));
        Assert.Equal(CipherState.ExhaustedNonce, sender.Nonce);
        Assert.Equal(NoiseError.NonceExhausted, sender.EncryptWithAd([], plaintext, ciphertext, out var written));
        Assert.Equal(0, written);

        var decrypted = new byte[1];
        Assert.Equal(NoiseError.None, receiver.DecryptWithAd([], ciphertext, decrypted, out _));
        Assert.Equal(plaintext, decrypted);
        Assert.Equal(NoiseError.NonceExhausted, receiver.DecryptWithAd([], ciphertext, decrypted, out _));
    }

    [Fact]
    public void AFailedDecryptionDoesNotAdvanceTheNonce()
    {
        using var sender = new CipherState();
        using var receiver = new CipherState();
        sender.InitializeKey(s_key);
        receiver.InitializeKey(s_key);
        var ciphertext = new byte[3 + CipherState.TagSize];
        sender.EncryptWithAd([], [7, 8, 9], ciphertext, out _);
        var tampered = (byte[])ciphertext.Clone();
        tampered[0] ^= 0x80;
        var plaintext = new byte[3];

        Assert.Equal(NoiseError.DecryptionFailed, receiver.DecryptWithAd([], tampered, plaintext, out _));
        Assert.Equal(0UL, receiver.Nonce);
        Assert.Equal(NoiseError.MessageTooShort, receiver.DecryptWithAd([], ciphertext.AsSpan(0, 15), plaintext, out _));
        Assert.Equal(NoiseError.None, receiver.DecryptWithAd([], ciphertext, plaintext, out _));
        Assert.Equal(1UL, receiver.Nonce);
        Assert.Equal(new byte[] { 7, 8, 9 }, plaintext);
    }

    [Fact]
    public void AMessageDecryptsOnlyUnderItsOwnNonce()
    {
        using var sender = new CipherState();
        using var receiver = new CipherState();
        sender.InitializeKey(s_key);
        receiver.InitializeKey(s_key);
        var first = new byte[CipherState.TagSize + 1];
        var second = new byte[CipherState.TagSize + 1];
        sender.EncryptWithAd([], [1], first, out _);
        sender.EncryptWithAd([], [1], second, out _);
        var plaintext = new byte[1];
        // A replayed or reordered frame is refused: the receiver expects nonce 0 and gets the nonce-1 frame.
        Assert.Equal(NoiseError.DecryptionFailed, receiver.DecryptWithAd([], second, plaintext, out _));
        Assert.Equal(NoiseError.None, receiver.DecryptWithAd([], first, plaintext, out _));
        Assert.Equal(NoiseError.DecryptionFailed, receiver.DecryptWithAd([], first, plaintext, out _));
    }

    [Fact]
    public void WithoutAKeyEncryptionIsTheIdentity()
    {
        using var cipher = new CipherState();
        Assert.False(cipher.HasKey);
        var output = new byte[3];
        Assert.Equal(NoiseError.None, cipher.EncryptWithAd([9, 9], [1, 2, 3], output, out var written));
        Assert.Equal(3, written);
        Assert.Equal(new byte[] { 1, 2, 3 }, output);
        Assert.Equal(0UL, cipher.Nonce);
    }

    [Fact]
    public void ADisposedCipherRefusesEveryUseInsteadOfFallingBackToPlaintext()
    {
        var cipher = new CipherState();
        cipher.InitializeKey(s_key);
        cipher.Dispose();
        Assert.True(cipher.IsDisposed);
        Assert.False(cipher.HasKey);

        byte[] plaintext = [1, 2, 3, 4, 5];
        var ciphertext = new byte[plaintext.Length + CipherState.TagSize];
        Assert.Equal(NoiseError.CipherDisposed, cipher.EncryptWithAd([], plaintext, ciphertext, out var written));
        Assert.Equal(0, written);
        Assert.All(ciphertext, b => Assert.Equal(0, b)); // a keyless cipher would have copied the plaintext here
        var decrypted = new byte[plaintext.Length];
        Assert.Equal(NoiseError.CipherDisposed, cipher.DecryptWithAd([], ciphertext, decrypted, out written));
        Assert.Equal(0, written);
        Assert.Throws<ObjectDisposedException>(() => cipher.InitializeKey(s_key));
        Assert.Throws<ObjectDisposedException>(() => cipher.SetNonce(1));
        cipher.Dispose(); // twice is harmless
    }
}
