using FsCheck.Xunit;
using Sequencer.Core.Crypto;
using Sequencer.Core.Vrf;

namespace Sequencer.Core.Tests.Vrf;

public sealed class EcVrfPropertyTests
{
    [Property]
    public bool VerifyAcceptsWhatProveMakes(byte[] keySeed, byte[] alpha)
    {
        var before = Secp256k1Context.IllegalArgumentCalls;
        var secret = VrfTestKeys.SecretFromSeed(keySeed);
        var proof = new byte[EcVrf.ProofSize];
        EcVrf.Prove(secret, alpha, proof);
        var beta = new byte[EcVrf.OutputSize];
        var hashed = new byte[EcVrf.OutputSize];
        return EcVrf.Verify(VrfTestKeys.PublicKeyOf(secret), alpha, proof, beta)
            && EcVrf.TryProofToHash(proof, hashed) && beta.AsSpan().SequenceEqual(hashed)
            && Secp256k1Context.IllegalArgumentCalls == before;
    }

    [Property]
    public bool ProveIsDeterministic(byte[] keySeed, byte[] alpha)
    {
        var secret = VrfTestKeys.SecretFromSeed(keySeed);
        var first = new byte[EcVrf.ProofSize];
        var second = new byte[EcVrf.ProofSize];
        EcVrf.Prove(secret, alpha, first);
        EcVrf.Prove(secret, alpha, second);
        return first.AsSpan().SequenceEqual(second);
    }

    [Property(MaxTest = 30)]
    public bool AlteringAnyByteOfTheProofIsRejected(byte[] keySeed, byte[] alpha, byte change)
    {
        var before = Secp256k1Context.IllegalArgumentCalls;
        var secret = VrfTestKeys.SecretFromSeed(keySeed);
        var publicKey = VrfTestKeys.PublicKeyOf(secret);
        var proof = new byte[EcVrf.ProofSize];
        EcVrf.Prove(secret, alpha, proof);
        var delta = (byte)(1 + change % 255);
        var beta = new byte[EcVrf.OutputSize];
        for (var position = 0; position < EcVrf.ProofSize; position++)
        {
            proof[position] ^= delta;
            if (EcVrf.Verify(publicKey, alpha, proof, beta))
                return false;
            proof[position] ^= delta;
        }
        return EcVrf.Verify(publicKey, alpha, proof, beta) && Secp256k1Context.IllegalArgumentCalls == before;
    }

    [Property]
    public bool AlteringAlphaIsRejected(byte[] keySeed, byte[] alpha, int position, byte change)
    {
        var secret = VrfTestKeys.SecretFromSeed(keySeed);
        var publicKey = VrfTestKeys.PublicKeyOf(secret);
        var proof = new byte[EcVrf.ProofSize];
        EcVrf.Prove(secret, alpha, proof);

        var altered = alpha.Length == 0 ? [change] : (byte[])alpha.Clone();
        if (alpha.Length > 0)
            altered[(int)((uint)position % (uint)alpha.Length)] ^= (byte)(1 + change % 255);
        var extended = new byte[alpha.Length + 1];
        alpha.CopyTo(extended, 0);
        var beta = new byte[EcVrf.OutputSize];
        return !EcVrf.Verify(publicKey, altered, proof, beta)
            && !EcVrf.Verify(publicKey, extended, proof, beta)
            && (alpha.Length == 0 || !EcVrf.Verify(publicKey, alpha.AsSpan(0, alpha.Length - 1), proof, beta));
    }

    [Property]
    public bool AnotherPublicKeyIsRejected(byte[] keySeed, byte[] otherSeed, byte[] alpha)
    {
        var secret = VrfTestKeys.SecretFromSeed(keySeed);
        var other = VrfTestKeys.SecretFromSeed([.. otherSeed, 0xA5]);
        if (secret.AsSpan().SequenceEqual(other))
            return true;
        var proof = new byte[EcVrf.ProofSize];
        EcVrf.Prove(secret, alpha, proof);
        var beta = new byte[EcVrf.OutputSize];
        var otherKey = VrfTestKeys.PublicKeyOf(other);
        var negatedKey = VrfTestKeys.PublicKeyOf(secret);
        negatedKey[0] ^= 0x01; // -Y: the same x-coordinate, the other y
        return !EcVrf.Verify(otherKey, alpha, proof, beta) && !EcVrf.Verify(negatedKey, alpha, proof, beta);
    }

    [Property]
    public bool MalformedProofsOfEveryLengthAreFalseNeverAnException(byte[] noise, byte[] alpha)
    {
        var before = Secp256k1Context.IllegalArgumentCalls;
        var publicKey = VrfTestKeys.PublicKeyOf(VrfTestKeys.SecretFromSeed(alpha));
        var beta = new byte[EcVrf.OutputSize];
        for (var length = 0; length <= 100; length++)
        {
            var proof = new byte[length];
            for (var i = 0; i < length; i++)
                proof[i] = noise.Length == 0 ? (byte)i : noise[i % noise.Length];
            // A random 81-byte string whose Gamma happens to parse is still no proof (it would forge one).
            if (EcVrf.Verify(publicKey, alpha, proof, beta) || (length != EcVrf.ProofSize && EcVrf.TryProofToHash(proof, beta)))
                return false;
        }
        return Secp256k1Context.IllegalArgumentCalls == before;
    }

    [Fact]
    public void MalformedPublicKeysAreFalseNeverAnException()
    {
        var before = Secp256k1Context.IllegalArgumentCalls;
        var secret = VrfTestKeys.SecretFromSeed("key"u8);
        var publicKey = VrfTestKeys.PublicKeyOf(secret);
        var proof = new byte[EcVrf.ProofSize];
        EcVrf.Prove(secret, "alpha"u8, proof);
        var beta = new byte[EcVrf.OutputSize];
        Assert.True(EcVrf.Verify(publicKey, "alpha"u8, proof, beta));

        Assert.False(EcVrf.Verify([], "alpha"u8, proof, beta));
        Assert.False(EcVrf.Verify(publicKey.AsSpan(0, 32), "alpha"u8, proof, beta));
        Assert.False(EcVrf.Verify([.. publicKey, 0], "alpha"u8, proof, beta));
        foreach (byte prefix in new byte[] { 0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0xff })
            Assert.False(EcVrf.Verify([prefix, .. publicKey.AsSpan(1)], "alpha"u8, proof, beta));
        // x = p (not a field element) and x = 5 (x³ + 7 = 132 is not a square mod p).
        Assert.False(EcVrf.Verify(Convert.FromHexString("02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f"), "alpha"u8, proof, beta));
        Assert.False(EcVrf.Verify(Convert.FromHexString("020000000000000000000000000000000000000000000000000000000000000005"), "alpha"u8, proof, beta));
        Assert.Equal(before, Secp256k1Context.IllegalArgumentCalls);
    }

    [Fact]
    public void DegenerateScalarsAreRejectedNeverAnException()
    {
        var before = Secp256k1Context.IllegalArgumentCalls;
        var secret = VrfTestKeys.SecretFromSeed("degenerate"u8);
        var publicKey = VrfTestKeys.PublicKeyOf(secret);
        var proof = new byte[EcVrf.ProofSize];
        EcVrf.Prove(secret, [], proof);
        var beta = new byte[EcVrf.OutputSize];
        Assert.True(EcVrf.Verify(publicKey, [], proof, beta));

        var zeroC = (byte[])proof.Clone();
        zeroC.AsSpan(33, 16).Clear();
        var zeroS = (byte[])proof.Clone();
        zeroS.AsSpan(49, 32).Clear();
        var zeroBoth = (byte[])zeroC.Clone();
        zeroBoth.AsSpan(49, 32).Clear();
        var sIsN = (byte[])proof.Clone();
        VrfTestKeys.GroupOrder.CopyTo(sIsN, 49);
        var sIsMax = (byte[])proof.Clone();
        sIsMax.AsSpan(49, 32).Fill(0xff);
        foreach (var bad in new[] { zeroC, zeroS, zeroBoth, sIsN, sIsMax })
            Assert.False(EcVrf.Verify(publicKey, [], bad, beta));
        // s ≥ n does not decode (RFC 9381 §5.4.4), so it has no beta either.
        Assert.False(EcVrf.TryProofToHash(sIsN, beta));
        Assert.False(EcVrf.TryProofToHash(sIsMax, beta));
        Assert.True(EcVrf.TryProofToHash(zeroS, beta));
        Assert.Equal(before, Secp256k1Context.IllegalArgumentCalls);
    }

    [Fact]
    public void ProofWhoseGammaIsThePublicKeyAndWhoseTermsCancelIsRejected()
    {
        // With Gamma = Y and c, s chosen so that s·B = c·Y, U is the point at infinity: libsecp256k1 cannot
        // represent it and the proof must be refused, not crash. Take Y = B (secret 1) and s = c.
        var one = new byte[32];
        one[31] = 1;
        var publicKey = VrfTestKeys.PublicKeyOf(one);
        var proof = new byte[EcVrf.ProofSize];
        publicKey.CopyTo(proof, 0);
        proof[48] = 7;
        proof[80] = 7;
        var before = Secp256k1Context.IllegalArgumentCalls;
        Assert.False(EcVrf.Verify(publicKey, "x"u8, proof, new byte[EcVrf.OutputSize]));
        Assert.Equal(before, Secp256k1Context.IllegalArgumentCalls);
    }

    public static TheoryData<string> InvalidSecrets =>
    [
        "",
        "01",
        "00000000000000000000000000000000000000000000000000000000000000",
        "0000000000000000000000000000000000000000000000000000000000000001ff",
        "0000000000000000000000000000000000000000000000000000000000000000",
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141",
        "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142",
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    ];

    [Theory]
    [MemberData(nameof(InvalidSecrets))]
    public void ProveRefusesAnInvalidSecretKey(string secretHex)
    {
        var before = Secp256k1Context.IllegalArgumentCalls;
        var proof = new byte[EcVrf.ProofSize];
        Assert.Throws<InvalidKeyException>(() => EcVrf.Prove(Convert.FromHexString(secretHex), "alpha"u8, proof));
        Assert.Equal(before, Secp256k1Context.IllegalArgumentCalls);
    }

    [Fact]
    public void TheHighestSecretKeyWorks()
    {
        var secret = Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");
        var proof = new byte[EcVrf.ProofSize];
        EcVrf.Prove(secret, "alpha"u8, proof);
        Assert.True(EcVrf.Verify(VrfTestKeys.PublicKeyOf(secret), "alpha"u8, proof, new byte[EcVrf.OutputSize]));
    }

    [Fact]
    public void OutputBuffersThatAreTooSmallAreACallerError()
    {
        var proof = new byte[EcVrf.ProofSize];
        Assert.Throws<ArgumentOutOfRangeException>(() => EcVrf.Prove(VrfTestKeys.SecretFromSeed("k"u8), [], new byte[80]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EcVrf.Verify(new byte[33], [], proof, new byte[31]));
        Assert.Throws<ArgumentOutOfRangeException>(() => EcVrf.TryProofToHash(proof, new byte[31]));
    }
}
