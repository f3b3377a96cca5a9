using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;
using Sequencer.Core.Crypto.Secp256k1;

namespace Sequencer.Benchmarks.Crypto;

/// <summary>
/// What the binding adds on top of libsecp256k1. Each category's baseline is a bare loop of the native calls on
/// inputs prepared in unmanaged memory; the binding's methods do the same work, so the ratio should be ≈ 1.0 with
/// nothing allocated. Each invocation verifies <see cref="Count"/> different (message, signature) pairs.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public unsafe class Secp256k1VerifyBenchmarks
{
    private const int Count = 8;
    private const int MessageSize = 32;

    private readonly byte[][] _messages = new byte[Count][];
    private readonly byte[][] _schnorrSignatures = new byte[Count][];
    private readonly byte[][] _derSignatures = new byte[Count][];
    private Secp256k1PublicKey _publicKey = null!;
    private SchnorrPublicKey _schnorrKey = null!;

    // The baselines' inputs: native copies, so the bare loops pin nothing.
    private byte* _nativeMessages;
    private byte* _nativeSchnorrSignatures;
    private byte* _nativeDerSignatures;
    private nuint* _nativeDerLengths;
    private Secp256k1XOnlyPublicKeyData* _nativeXOnlyKey;
    private Secp256k1PublicKeyData* _nativePoint;

    [GlobalSetup]
    public void Setup()
    {
        using var key = Secp256k1PrivateKey.FromBytes(Convert.FromHexString("b7e151628aed2a6abf7158809cf4f3c762e7160f38b4da56a784d9045190cfef"));
        _publicKey = key.PublicKey;
        _schnorrKey = key.PublicKey.SchnorrKey;

        _nativeMessages = (byte*)NativeMemory.Alloc(Count * MessageSize);
        _nativeSchnorrSignatures = (byte*)NativeMemory.Alloc(Count * Secp256k1PrivateKey.SchnorrSignatureSize);
        _nativeDerSignatures = (byte*)NativeMemory.Alloc(Count * Secp256k1PrivateKey.MaxEcdsaDerSignatureSize);
        _nativeDerLengths = (nuint*)NativeMemory.Alloc(Count, (nuint)sizeof(nuint));
        for (var i = 0; i < Count; i++)
        {
            _messages[i] = new byte[MessageSize];
            Sodium.FillRandom(_messages[i]);
            _schnorrSignatures[i] = new byte[Secp256k1PrivateKey.SchnorrSignatureSize];
            key.SignSchnorr(_messages[i], _schnorrSignatures[i]);
            var der = new byte[Secp256k1PrivateKey.MaxEcdsaDerSignatureSize];
            _derSignatures[i] = der[..key.SignEcdsaSha256Der(_messages[i], der)];

            _messages[i].CopyTo(new Span<byte>(_nativeMessages + i * MessageSize, MessageSize));
            _schnorrSignatures[i].CopyTo(new Span<byte>(_nativeSchnorrSignatures + i * Secp256k1PrivateKey.SchnorrSignatureSize, Secp256k1PrivateKey.SchnorrSignatureSize));
            _derSignatures[i].CopyTo(new Span<byte>(_nativeDerSignatures + i * Secp256k1PrivateKey.MaxEcdsaDerSignatureSize, Secp256k1PrivateKey.MaxEcdsaDerSignatureSize));
            _nativeDerLengths[i] = (nuint)_derSignatures[i].Length;
        }

        _nativeXOnlyKey = (Secp256k1XOnlyPublicKeyData*)NativeMemory.Alloc((nuint)sizeof(Secp256k1XOnlyPublicKeyData));
        _nativePoint = (Secp256k1PublicKeyData*)NativeMemory.Alloc((nuint)sizeof(Secp256k1PublicKeyData));
        fixed (byte* xOnly = _publicKey.XOnly)
        fixed (byte* compressed = _publicKey.Compressed)
        {
            if (Secp256k1Native.secp256k1_xonly_pubkey_parse(Secp256k1Context.Shared, _nativeXOnlyKey, xOnly) != 1
                || Secp256k1Native.secp256k1_ec_pubkey_parse(Secp256k1Context.Shared, _nativePoint, compressed, Secp256k1PublicKey.CompressedSize) != 1)
                throw new InvalidOperationException("the benchmark key does not parse");
        }

        // Every variant must take the full, successful verification path.
        int[] counts = [SchnorrBareNativeLoop(), SchnorrPublicKeyVerify(), Secp256k1PublicKeyVerifySchnorr(), EcdsaBareNativeLoop(), Secp256k1PublicKeyVerifyEcdsaSha256Der()];
        if (Array.Exists(counts, count => count != Count))
            throw new InvalidOperationException($"expected {Count} valid signatures per variant, got {string.Join(", ", counts)}");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        NativeMemory.Free(_nativeMessages);
        NativeMemory.Free(_nativeSchnorrSignatures);
        NativeMemory.Free(_nativeDerSignatures);
        NativeMemory.Free(_nativeDerLengths);
        NativeMemory.Free(_nativeXOnlyKey);
        NativeMemory.Free(_nativePoint);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Count), BenchmarkCategory("Schnorr")]
    public int SchnorrBareNativeLoop()
    {
        var context = Secp256k1Context.Shared;
        var valid = 0;
        for (var i = 0; i < Count; i++)
        {
            valid += Secp256k1Native.secp256k1_schnorrsig_verify(context, _nativeSchnorrSignatures + i * Secp256k1PrivateKey.SchnorrSignatureSize,
                _nativeMessages + i * MessageSize, MessageSize, _nativeXOnlyKey);
        }
        return valid;
    }

    [Benchmark(OperationsPerInvoke = Count), BenchmarkCategory("Schnorr")]
    public int SchnorrPublicKeyVerify()
    {
        var valid = 0;
        for (var i = 0; i < Count; i++)
            valid += _schnorrKey.Verify(_messages[i], _schnorrSignatures[i]) ? 1 : 0;
        return valid;
    }

    [Benchmark(OperationsPerInvoke = Count), BenchmarkCategory("Schnorr")]
    public int Secp256k1PublicKeyVerifySchnorr()
    {
        var valid = 0;
        for (var i = 0; i < Count; i++)
            valid += _publicKey.VerifySchnorr(_messages[i], _schnorrSignatures[i]) ? 1 : 0;
        return valid;
    }

    /// <summary>The same native steps as <see cref="Secp256k1PublicKey.VerifyEcdsaSha256Der"/>: parse, normalise, hash, verify.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Count), BenchmarkCategory("ECDSA")]
    public int EcdsaBareNativeLoop()
    {
        var context = Secp256k1Context.Shared;
        var valid = 0;
        Secp256k1EcdsaSignatureData signature;
        byte* digest = stackalloc byte[Sha256.HashSize];
        for (var i = 0; i < Count; i++)
        {
            if (Secp256k1Native.secp256k1_ecdsa_signature_parse_der(context, &signature, _nativeDerSignatures + i * Secp256k1PrivateKey.MaxEcdsaDerSignatureSize, _nativeDerLengths[i]) != 1)
                continue;
            Secp256k1Native.secp256k1_ecdsa_signature_normalize(context, &signature, &signature);
            SodiumNative.crypto_hash_sha256(digest, _nativeMessages + i * MessageSize, MessageSize);
            valid += Secp256k1Native.secp256k1_ecdsa_verify(context, &signature, digest, _nativePoint);
        }
        return valid;
    }

    [Benchmark(OperationsPerInvoke = Count), BenchmarkCategory("ECDSA")]
    public int Secp256k1PublicKeyVerifyEcdsaSha256Der()
    {
        var valid = 0;
        for (var i = 0; i < Count; i++)
            valid += _publicKey.VerifyEcdsaSha256Der(_messages[i], _derSignatures[i]) ? 1 : 0;
        return valid;
    }
}
