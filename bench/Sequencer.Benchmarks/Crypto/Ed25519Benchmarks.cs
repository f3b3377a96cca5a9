using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Curve25519;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Benchmarks.Crypto;

/// <summary>
/// Ed25519 verification (GossipSub StrictSign, Noise identity proofs) through <see cref="Ed25519PublicKey"/> against
/// the bare libsodium call, and signing likewise: ratios ≈ 1.0, nothing allocated.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class Ed25519Benchmarks
{
    private readonly byte[] _message = new byte[128];
    private readonly byte[] _signature = new byte[Ed25519PublicKey.SignatureSize];
    private readonly byte[] _secretKey = new byte[64];
    private readonly byte[] _publicKeyBytes = new byte[Ed25519PublicKey.Size];
    private Ed25519PrivateKey _privateKey = null!;
    private Ed25519PublicKey _publicKey = null!;

    [GlobalSetup]
    public void Setup()
    {
        var seed = new byte[Ed25519PrivateKey.SeedSize];
        Sodium.FillRandom(seed);
        Sodium.FillRandom(_message);
        _privateKey = Ed25519PrivateKey.FromSeed(seed);
        _publicKey = _privateKey.PublicKey;
        _publicKey.Bytes.CopyTo(_publicKeyBytes);
        seed.CopyTo(_secretKey, 0);
        _publicKeyBytes.CopyTo(_secretKey, 32);
        _privateKey.Sign(_message, _signature);
    }

    [GlobalCleanup]
    public void Cleanup() => _privateKey.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("Verify")]
    public int NativeVerify()
    {
        fixed (byte* sig = _signature)
        fixed (byte* m = _message)
        fixed (byte* pk = _publicKeyBytes)
            return SodiumNative.crypto_sign_ed25519_verify_detached(sig, m, (ulong)_message.Length, pk);
    }

    [Benchmark, BenchmarkCategory("Verify")]
    public bool Verify() => _publicKey.Verify(_message, _signature);

    [Benchmark(Baseline = true), BenchmarkCategory("Sign")]
    public int NativeSign()
    {
        fixed (byte* sig = _signature)
        fixed (byte* m = _message)
        fixed (byte* sk = _secretKey)
            return SodiumNative.crypto_sign_ed25519_detached(sig, null, m, (ulong)_message.Length, sk);
    }

    [Benchmark, BenchmarkCategory("Sign")]
    public void Sign() => _privateKey.Sign(_message, _signature);
}
