using FsCheck;
using FsCheck.Xunit;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;

namespace Sequencer.Core.Tests.Crypto.Secp256k1;

[Properties(Arbitrary = [typeof(Secp256k1Arbitraries)])]
public sealed class Secp256k1SignatureProperties : Secp256k1TestBase
{
    private const int SchnorrSize = Secp256k1PrivateKey.SchnorrSignatureSize;

    [Property]
    public bool SchnorrSignaturesVerifyUnderEveryViewOfTheKey(ValidScalar secret, byte[] message)
    {
        using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
        var signature = new byte[SchnorrSize];
        key.SignSchnorr(message, signature);
        return key.PublicKey.VerifySchnorr(message, signature)
            && key.PublicKey.SchnorrKey.Verify(message, signature)
            && SchnorrPublicKey.Parse(key.PublicKey.XOnly).Verify(message, signature)
            && Secp256k1PublicKey.Parse(key.PublicKey.Compressed).VerifySchnorr(message, signature);
    }

    [Property]
    public bool SchnorrWithGivenAuxiliaryRandomnessIsDeterministic(ValidScalar secret, byte[] message, byte seed)
    {
        using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
        var aux = Enumerable.Repeat(seed, Secp256k1PrivateKey.AuxiliaryRandomSize).ToArray();
        var first = new byte[SchnorrSize];
        var second = new byte[SchnorrSize];
        key.SignSchnorr(message, aux, first);
        key.SignSchnorr(message, aux, second);
        return first.AsSpan().SequenceEqual(second) && key.PublicKey.VerifySchnorr(message, first);
    }

    [Property]
    public bool AnySingleBitFlipBreaksASchnorrSignature(ValidScalar secret, byte[] message, NonNegativeInt bit)
    {
        using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
        var signature = new byte[SchnorrSize];
        key.SignSchnorr(message, signature);

        var flippedSignature = FlipBit(signature, bit.Get);
        var signatureFails = !key.PublicKey.VerifySchnorr(message, flippedSignature);
        var messageFails = message.Length == 0 || !key.PublicKey.VerifySchnorr(FlipBit(message, bit.Get), signature);
        return signatureFails && messageFails;
    }

    [Property]
    public bool ASchnorrSignatureFailsUnderAnotherKey(ValidScalar signer, ValidScalar other, byte[] message)
    {
        using var signerKey = Secp256k1PrivateKey.FromBytes(signer.Bytes);
        using var otherKey = Secp256k1PrivateKey.FromBytes(other.Bytes);
        var signature = new byte[SchnorrSize];
        signerKey.SignSchnorr(message, signature);
        // Keys d and n − d share their x coordinate and so their BIP340 key (see Secp256k1KeyTests).
        var sameBip340Key = signerKey.PublicKey.XOnly.SequenceEqual(otherKey.PublicKey.XOnly);
        return sameBip340Key == otherKey.PublicKey.VerifySchnorr(message, signature);
    }

    [Property]
    public bool SchnorrVerificationOfArbitraryBytesIsFalseNotAnException(ValidScalar secret, byte[] message, byte[] signature)
    {
        using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
        return !key.PublicKey.VerifySchnorr(message, signature) && !key.PublicKey.SchnorrKey.Verify(message, signature);
    }

    [Property]
    public bool EcdsaSignaturesAreCanonicalLowSDerAndVerify(ValidScalar secret, byte[] data)
    {
        using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
        var buffer = new byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
        var der = buffer.AsSpan(0, key.SignEcdsaSha256Der(data, buffer));
        var (r, s) = EcdsaDer.Decode(der);
        return r > 0 && r < EcdsaDer.Order
            && s > 0 && s <= EcdsaDer.Order / 2
            && EcdsaDer.Encode(r, s).AsSpan().SequenceEqual(der)
            && key.PublicKey.VerifyEcdsaSha256Der(data, der)
            && Secp256k1PublicKey.Parse(key.PublicKey.Compressed).VerifyEcdsaSha256Der(data, der);
    }

    [Property]
    public bool EcdsaIsDeterministicAndAcceptsTheHighSForm(ValidScalar secret, byte[] data)
    {
        using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
        var first = new byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
        var second = new byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
        var length = key.SignEcdsaSha256Der(data, first);
        var secondLength = key.SignEcdsaSha256Der(data, second);
        var highS = EcdsaDer.WithHighS(first.AsSpan(0, length));
        return first.AsSpan(0, length).SequenceEqual(second.AsSpan(0, secondLength))
            && !highS.AsSpan().SequenceEqual(first.AsSpan(0, length))
            && key.PublicKey.VerifyEcdsaSha256Der(data, highS);
    }

    [Property]
    public bool AnySingleBitFlipBreaksAnEcdsaSignature(ValidScalar secret, byte[] data, NonNegativeInt bit)
    {
        using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
        var buffer = new byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
        var der = buffer.AsSpan(0, key.SignEcdsaSha256Der(data, buffer)).ToArray();

        var signatureFails = !key.PublicKey.VerifyEcdsaSha256Der(data, FlipBit(der, bit.Get));
        var dataFails = data.Length == 0 || !key.PublicKey.VerifyEcdsaSha256Der(FlipBit(data, bit.Get), der);
        return signatureFails && dataFails;
    }

    [Property]
    public bool AnEcdsaSignatureFailsUnderAnotherKey(ValidScalar signer, ValidScalar other, byte[] data)
    {
        using var signerKey = Secp256k1PrivateKey.FromBytes(signer.Bytes);
        using var otherKey = Secp256k1PrivateKey.FromBytes(other.Bytes);
        var buffer = new byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
        var der = buffer.AsSpan(0, signerKey.SignEcdsaSha256Der(data, buffer));
        return signerKey.PublicKey.Equals(otherKey.PublicKey) == otherKey.PublicKey.VerifyEcdsaSha256Der(data, der);
    }

    [Property]
    public bool EcdsaVerificationOfArbitraryBytesIsFalseNotAnException(ValidScalar secret, byte[] data, byte[] der)
    {
        using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
        return !key.PublicKey.VerifyEcdsaSha256Der(data, der);
    }

    [Property]
    public bool OutOfRangeSecretKeysAreRefused(InvalidScalar secret)
    {
        try
        {
            using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
            return false;
        }
        catch (InvalidKeyException)
        {
            return true;
        }
    }

    [Property]
    public bool SecretKeysOfTheWrongLengthAreRefused(byte[] bytes)
    {
        // 32 bytes is the one right length (the scalar properties cover it): shorten those by one.
        var secret = bytes.Length == Secp256k1PrivateKey.Size ? bytes[1..] : bytes;
        try
        {
            using var key = Secp256k1PrivateKey.FromBytes(secret);
            return false;
        }
        catch (InvalidKeyException)
        {
            return true;
        }
    }

    [Property]
    public bool ImportedSecretsRoundTrip(ValidScalar secret)
    {
        using var key = Secp256k1PrivateKey.FromBytes(secret.Bytes);
        var copy = new byte[Secp256k1PrivateKey.Size];
        key.CopySecretTo(copy);
        return copy.AsSpan().SequenceEqual(secret.Bytes);
    }

    [Property]
    public bool ParsingArbitraryPublicKeyBytesNeverThrowsAndRoundTrips(byte prefix, byte[] body)
    {
        var encoded = new byte[body.Length % 2 == 0 ? Secp256k1PublicKey.CompressedSize : Secp256k1PublicKey.UncompressedSize];
        encoded[0] = (byte)(prefix % 8); // 00–07 covers every SEC1 tag and its neighbours
        body.AsSpan(0, Math.Min(body.Length, encoded.Length - 1)).CopyTo(encoded.AsSpan(1));
        if (!Secp256k1PublicKey.TryParse(encoded, out var key))
            return true;
        return Secp256k1PublicKey.Parse(key.Compressed).Equals(key)
            && (encoded.Length == Secp256k1PublicKey.UncompressedSize || key.Compressed.SequenceEqual(encoded));
    }

    [Property]
    public bool ParsingArbitraryXOnlyBytesNeverThrowsAndRoundTrips(byte[] body)
    {
        var encoded = new byte[SchnorrPublicKey.Size];
        body.AsSpan(0, Math.Min(body.Length, encoded.Length)).CopyTo(encoded);
        return !SchnorrPublicKey.TryParse(encoded, out var key) || key.XOnly.SequenceEqual(encoded);
    }

    [Fact]
    public void EveryBitFlipOfOneSchnorrSignatureFails()
    {
        using var key = Secp256k1PrivateKey.Generate();
        var signature = new byte[SchnorrSize];
        key.SignSchnorr("every bit"u8, signature);
        Assert.True(key.PublicKey.VerifySchnorr("every bit"u8, signature));
        for (var bit = 0; bit < SchnorrSize * 8; bit++)
            Assert.False(key.PublicKey.VerifySchnorr("every bit"u8, FlipBit(signature, bit)), $"bit {bit}");
    }

    private static byte[] FlipBit(ReadOnlySpan<byte> bytes, int bit)
    {
        var flipped = bytes.ToArray();
        bit %= flipped.Length * 8;
        flipped[bit / 8] ^= (byte)(1 << (bit % 8));
        return flipped;
    }
}
