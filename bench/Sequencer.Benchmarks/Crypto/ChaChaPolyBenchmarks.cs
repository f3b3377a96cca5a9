using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;

namespace Sequencer.Benchmarks.Crypto;

/// <summary>
/// Noise transport frames through <see cref="ChaChaPoly"/> against the bare libsodium call on the same buffers:
/// the ratio is the cost of the wrapper (argument checks, nonce formatting, pinning), which should be ≈ 1.0 with
/// nothing allocated.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class ChaChaPolyBenchmarks
{
    private readonly byte[] _key = new byte[ChaChaPoly.KeySize];
    private readonly byte[] _nonce = new byte[ChaChaPoly.NonceSize];
    private byte[] _plaintext = [];
    private byte[] _sealed = [];
    private byte[] _opened = [];

    [Params(1024, 65536)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Sodium.FillRandom(_key);
        _plaintext = new byte[FrameSize];
        Sodium.FillRandom(_plaintext);
        _sealed = new byte[FrameSize + ChaChaPoly.TagSize];
        _opened = new byte[FrameSize];
        ChaChaPoly.Encrypt(_key, 0, [], _plaintext, _sealed);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Encrypt")]
    public int NativeEncrypt()
    {
        fixed (byte* k = _key)
        fixed (byte* n = _nonce)
        fixed (byte* m = _plaintext)
        fixed (byte* c = _sealed)
            return SodiumNative.crypto_aead_chacha20poly1305_ietf_encrypt_detached(
                c, c + FrameSize, null, m, (ulong)FrameSize, n, 0, null, n, k);
    }

    [Benchmark, BenchmarkCategory("Encrypt")]
    public void Encrypt() => ChaChaPoly.Encrypt(_key, 0, [], _plaintext, _sealed);

    [Benchmark(Baseline = true), BenchmarkCategory("Decrypt")]
    public int NativeDecrypt()
    {
        fixed (byte* k = _key)
        fixed (byte* n = _nonce)
        fixed (byte* m = _opened)
        fixed (byte* c = _sealed)
            return SodiumNative.crypto_aead_chacha20poly1305_ietf_decrypt_detached(
                m, null, c, (ulong)FrameSize, c + FrameSize, n, 0, n, k);
    }

    [Benchmark, BenchmarkCategory("Decrypt")]
    public bool Decrypt() => ChaChaPoly.TryDecrypt(_key, 0, [], _sealed, _opened);
}
