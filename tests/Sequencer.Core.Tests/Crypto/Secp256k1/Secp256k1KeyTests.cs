using System.Reflection;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;

namespace Sequencer.Core.Tests.Crypto.Secp256k1;

public sealed class Secp256k1KeyTests : Secp256k1TestBase
{
    private const string GroupOrder = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";
    private const string Generator = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798";
    private const string GeneratorUncompressed = "0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8";

    // 1, 2, 3 and n−1 give G, 2G, 3G and −G (SEC 2 and any table of small multiples); 0x11×32 is the interop
    // capture's node key (/work/shared/interop); B7E1…, C90F… are BIP340 vector keys (their x coordinates are in the
    // CSV). The parities, and the 0x80… and 0xff…fe00… rows, come from an independent pure-Python double-and-add.
    // Half of these scalars have a first byte ≥ 0x80, which a signed big-integer reading gets wrong.
    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", Generator)]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000002", "02c6047f9441ed7d6d3045406e95c07cd85c778e4b8cef3ca7abac09b95c709ee5")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000003", "02f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9")]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140", "0379be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")]
    [InlineData("1111111111111111111111111111111111111111111111111111111111111111", "034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa")]
    [InlineData("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef", "02dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659")]
    [InlineData("c90fdaa22168c234c4c6628b80dc1cd129024e088a67cc74020bbea63b14e5c9", "02dd308afec5777e13121fa72b9cc1b7cc0139715309b086c960e18fd969774eb8")]
    [InlineData("8000000000000000000000000000000000000000000000000000000000000000", "02b23790a42be63e1b251ad6c94fdef07271ec0aada31db6c3e8bd32043f8be384")]
    [InlineData("fffffffffffffffffffffffffffffffe00000000000000000000000000000000", "034750aa97cae3e279458f34caeb63d19b1f50065c6e2c9eb8ad8f07477ddacff2")]
    public void DerivesTheKnownPublicKey(string secretHex, string compressedHex)
    {
        using var key = Secp256k1PrivateKey.FromBytes(Convert.FromHexString(secretHex));
        Assert.Equal(compressedHex, Convert.ToHexStringLower(key.PublicKey.Compressed));
        Assert.Equal(compressedHex[2..], Convert.ToHexStringLower(key.PublicKey.XOnly));
        Assert.Equal(compressedHex[2..], Convert.ToHexStringLower(key.PublicKey.SchnorrKey.XOnly));
        Assert.Equal(key.PublicKey, Secp256k1PublicKey.Parse(Convert.FromHexString(compressedHex)));
    }

    [Fact]
    public void CopySecretToReturnsTheImportedScalar()
    {
        var secret = Convert.FromHexString("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef");
        using var key = Secp256k1PrivateKey.FromBytes(secret);
        var copy = new byte[Secp256k1PrivateKey.Size];
        key.CopySecretTo(copy);
        Assert.Equal(secret, copy);
    }

    [Fact]
    public void GeneratedKeysAreDistinctAndReimportToTheSamePublicKey()
    {
        using var first = Secp256k1PrivateKey.Generate();
        using var second = Secp256k1PrivateKey.Generate();
        Assert.NotEqual(first.PublicKey, second.PublicKey);

        var secret = new byte[Secp256k1PrivateKey.Size];
        first.CopySecretTo(secret);
        using var reimported = Secp256k1PrivateKey.FromBytes(secret);
        Sodium.Wipe(secret);
        Assert.Equal(first.PublicKey, reimported.PublicKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("01")]
    [InlineData("00000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("000000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData(GroupOrder)]
    [InlineData("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    public void RefusesInvalidSecretKeys(string secretHex)
    {
        Assert.Throws<InvalidKeyException>(() => Secp256k1PrivateKey.FromBytes(Convert.FromHexString(secretHex)));
    }

    [Fact]
    public void DisposeWipesTheSecretAndRefusesFurtherUse()
    {
        var key = Secp256k1PrivateKey.FromBytes(Convert.FromHexString("1111111111111111111111111111111111111111111111111111111111111111"));
        var material = (byte[])typeof(Secp256k1PrivateKey).GetField("_material", BindingFlags.NonPublic | BindingFlags.Instance)!.GetValue(key)!;
        Assert.Contains(material, b => b != 0);

        key.Dispose();
        key.Dispose();

        Assert.All(material, b => Assert.Equal(0, b));
        var buffer = new byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
        Assert.Throws<ObjectDisposedException>(() => key.CopySecretTo(buffer));
        Assert.Throws<ObjectDisposedException>(() => key.SignSchnorr([1, 2, 3], buffer));
        Assert.Throws<ObjectDisposedException>(() => key.SignSchnorr([1, 2, 3], new byte[32], buffer));
        Assert.Throws<ObjectDisposedException>(() => key.SignEcdsaSha256Der([1, 2, 3], buffer));
        Assert.Equal("034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa", key.PublicKey.ToString());
    }

    [Fact]
    public void RefusesDestinationsAndAuxiliaryRandomnessOfTheWrongSize()
    {
        using var key = Secp256k1PrivateKey.Generate();
        Assert.Throws<ArgumentOutOfRangeException>(() => key.CopySecretTo(new byte[31]));
        Assert.Throws<ArgumentOutOfRangeException>(() => key.SignSchnorr([1], new byte[63]));
        Assert.Throws<ArgumentException>(() => key.SignSchnorr([1], new byte[31], new byte[64]));
        Assert.Throws<ArgumentException>(() => key.SignSchnorr([1], new byte[33], new byte[64]));
        Assert.Throws<ArgumentOutOfRangeException>(() => key.SignEcdsaSha256Der([1], new byte[71]));
    }

    [Fact]
    public void ParsesCompressedAndUncompressedFormsToTheSameKey()
    {
        var compressed = Secp256k1PublicKey.Parse(Convert.FromHexString(Generator));
        var uncompressed = Secp256k1PublicKey.Parse(Convert.FromHexString(GeneratorUncompressed));
        Assert.Equal(compressed, uncompressed);
        Assert.Equal(compressed.GetHashCode(), uncompressed.GetHashCode());
        Assert.Equal(Generator, Convert.ToHexStringLower(uncompressed.Compressed));
        Assert.Equal(compressed.SchnorrKey, uncompressed.SchnorrKey);
    }

    [Theory]
    [InlineData("")]
    [InlineData("02")]
    [InlineData("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")] // x-only, not SEC1
    [InlineData("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f8179800")] // one byte too many
    [InlineData("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")] // uncompressed tag, 33 bytes
    [InlineData("0579be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")] // unknown tag
    [InlineData("0679be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")] // hybrid
    [InlineData("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8")] // compressed tag, 65 bytes
    [InlineData("0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b9")] // y off the curve
    [InlineData("02eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34")] // BIP340 row 5: x not on the curve
    [InlineData("02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30")] // BIP340 row 14: x ≥ p
    public void RefusesInvalidPublicKeys(string encodedHex)
    {
        var encoded = Convert.FromHexString(encodedHex);
        Assert.False(Secp256k1PublicKey.TryParse(encoded, out var key));
        Assert.Null(key);
        Assert.Throws<InvalidKeyException>(() => Secp256k1PublicKey.Parse(encoded));
    }

    [Theory]
    [InlineData("")]
    [InlineData("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")]
    [InlineData("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f817")]
    [InlineData("eefdea4cdb677750a420fee807eacf21eb9898ae79b9768766e4faa04a2d4a34")]
    [InlineData("fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f")] // x = p
    public void RefusesInvalidXOnlyKeys(string encodedHex)
    {
        var encoded = Convert.FromHexString(encodedHex);
        Assert.False(SchnorrPublicKey.TryParse(encoded, out var key));
        Assert.Null(key);
        Assert.Throws<InvalidKeyException>(() => SchnorrPublicKey.Parse(encoded));
    }

    [Fact]
    public void ANegatedSecretKeyHasTheSameBip340Key()
    {
        // d and n−d give P and −P: one x coordinate, so one BIP340 key, and each one's signatures verify under it.
        using var key = Secp256k1PrivateKey.FromBytes(Convert.FromHexString("0000000000000000000000000000000000000000000000000000000000000001"));
        using var negated = Secp256k1PrivateKey.FromBytes(Convert.FromHexString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140"));
        Assert.NotEqual(key.PublicKey, negated.PublicKey);
        Assert.Equal(key.PublicKey.SchnorrKey, negated.PublicKey.SchnorrKey);

        var signature = new byte[Secp256k1PrivateKey.SchnorrSignatureSize];
        negated.SignSchnorr("vote"u8, signature);
        Assert.True(key.PublicKey.VerifySchnorr("vote"u8, signature));

        // ECDSA binds the full point, so there the two keys are not interchangeable.
        var der = new byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
        var length = negated.SignEcdsaSha256Der("identity"u8, der);
        Assert.True(negated.PublicKey.VerifyEcdsaSha256Der("identity"u8, der.AsSpan(0, length)));
        Assert.False(key.PublicKey.VerifyEcdsaSha256Der("identity"u8, der.AsSpan(0, length)));
    }

    [Fact]
    public void VerifiesConcurrentlyOnTheSharedContext()
    {
        using var key = Secp256k1PrivateKey.Generate();
        var signature = new byte[Secp256k1PrivateKey.SchnorrSignatureSize];
        key.SignSchnorr("concurrent"u8, signature);
        var verifier = key.PublicKey.SchnorrKey;
        var failures = 0;
        Parallel.For(0, 400, _ =>
        {
            if (!verifier.Verify("concurrent"u8, signature))
                Interlocked.Increment(ref failures);
        });
        Assert.Equal(0, failures);
    }
}
