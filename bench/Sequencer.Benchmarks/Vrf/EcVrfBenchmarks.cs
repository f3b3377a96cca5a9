using BenchmarkDotNet.Attributes;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;
using Sequencer.Core.Vrf;

namespace Sequencer.Benchmarks.Vrf;

/// <summary>
/// What a VRF proof costs next to one BIP340 Schnorr verification (a bare libsecp256k1 call, the unit every other
/// signature check in the node is measured in). Verify does hash-to-curve (a few SHA-256 and point decompressions),
/// four variable-base scalar multiplications and two additions through the public API, where a Schnorr verify is
/// one Strauss double multiplication: expect several times the baseline, and zero bytes allocated.
/// </summary>
[MemoryDiagnoser]
public unsafe class EcVrfBenchmarks
{
    private readonly byte[] _secret = new byte[32];
    private readonly byte[] _publicKey = new byte[EcVrf.PublicKeySize];
    private readonly byte[] _alpha = new byte[8 + 8 + 32]; // chainId ‖ height ‖ parentHash, as the committee uses it
    private readonly byte[] _proof = new byte[EcVrf.ProofSize];
    private readonly byte[] _beta = new byte[EcVrf.OutputSize];
    private readonly byte[] _message = new byte[32];
    private readonly byte[] _signature = new byte[64];
    private Secp256k1XOnlyPublicKeyData _schnorrKey;

    [GlobalSetup]
    public void Setup()
    {
        Sha256.Hash("benchmark key"u8, _secret);
        Sha256.Hash("parent"u8, _alpha.AsSpan(16));
        Sha256.Hash("message"u8, _message);
        EcVrf.Prove(_secret, _alpha, _proof);

        var context = Secp256k1Context.Shared;
        Secp256k1KeyPairData keyPair;
        fixed (byte* secret = _secret)
        fixed (byte* message = _message)
        fixed (byte* signature = _signature)
        fixed (byte* publicKey = _publicKey)
        fixed (Secp256k1XOnlyPublicKeyData* xOnly = &_schnorrKey)
        {
            Secp256k1PublicKeyData full;
            nuint length = (nuint)_publicKey.Length;
            if (Secp256k1Native.secp256k1_keypair_create(context, &keyPair, secret) != 1
                || Secp256k1Native.secp256k1_schnorrsig_sign32(context, signature, message, &keyPair, null) != 1
                || Secp256k1Native.secp256k1_keypair_xonly_pub(context, xOnly, null, &keyPair) != 1
                || Secp256k1Native.secp256k1_ec_pubkey_create(context, &full, secret) != 1
                || Secp256k1Native.secp256k1_ec_pubkey_serialize(context, publicKey, &length, &full, Secp256k1Native.EcCompressed) != 1)
                throw new InvalidOperationException("benchmark setup failed");
        }
        Sodium.Wipe(new Span<byte>(&keyPair, sizeof(Secp256k1KeyPairData)));
        if (!EcVrf.Verify(_publicKey, _alpha, _proof, _beta))
            throw new InvalidOperationException("the benchmark's proof does not verify");
    }

    [Benchmark(Baseline = true)]
    public int SchnorrVerifyBareCall()
    {
        fixed (byte* signature = _signature)
        fixed (byte* message = _message)
        fixed (Secp256k1XOnlyPublicKeyData* key = &_schnorrKey)
            return Secp256k1Native.secp256k1_schnorrsig_verify(Secp256k1Context.Shared, signature, message, 32, key);
    }

    [Benchmark]
    public bool VrfVerify() => EcVrf.Verify(_publicKey, _alpha, _proof, _beta);

    [Benchmark]
    public void VrfProve() => EcVrf.Prove(_secret, _alpha, _proof);

    [Benchmark]
    public bool VrfProofToHash() => EcVrf.TryProofToHash(_proof, _beta);
}
