using System.IO.Pipelines;
using BenchmarkDotNet.Attributes;
using Sequencer.Core.Crypto;
using Sequencer.Core.Identity;
using Sequencer.Net.Noise;
using Sequencer.Net.Transport;

namespace Sequencer.Benchmarks.Net;

/// <summary>
/// Plaintext through a pair of Noise secure channels over an in-memory connection: the application writes
/// <see cref="FrameSize"/> bytes and flushes, the encrypt loop frames and encrypts them into the connection, the peer's
/// decrypt loop checks and decrypts them, and the peer's application reads them. Baseline: the same bytes through bare
/// <see cref="ChaChaPoly"/> calls (encrypt, then decrypt in place) with nothing else. Reported per write
/// (OperationsPerInvoke); a 64 KiB write is two Noise frames (65518 + 18 bytes). Target: 0 bytes allocated per frame.
/// </summary>
[MemoryDiagnoser]
public class NoiseBenchmarks
{
    private const int WritesPerInvoke = 1024;

    private readonly byte[] _key = new byte[ChaChaPoly.KeySize];
    private byte[] _payload = [];
    private byte[] _buffer = [];
    private ulong _nonce;
    private PeerPrivateKey _clientKey = null!;
    private PeerPrivateKey _serverKey = null!;
    private NoiseSecurity _clientNoise = null!;
    private NoiseSecurity _serverNoise = null!;
    private NoiseSecureChannel _sending = null!;
    private NoiseSecureChannel _receiving = null!;

    [Params(1024, 64 * 1024)]
    public int FrameSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        Sodium.FillRandom(_key);
        _payload = new byte[FrameSize];
        Sodium.FillRandom(_payload);
        _buffer = new byte[FrameSize + ChaChaPoly.TagSize];

        _clientKey = PeerPrivateKey.Generate(KeyType.Ed25519);
        _serverKey = PeerPrivateKey.Generate(KeyType.Ed25519);
        _clientNoise = new NoiseSecurity(_clientKey);
        _serverNoise = new NoiseSecurity(_serverKey);
        var (left, right) = PipeFactory.CreateConnectedPair();
        var serving = _serverNoise.SecureInboundAsync(right);
        _sending = _clientNoise.SecureOutboundAsync(left).GetAwaiter().GetResult();
        _receiving = serving.GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sending.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _receiving.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _clientNoise.Dispose();
        _serverNoise.Dispose();
        _clientKey.Dispose();
        _serverKey.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = WritesPerInvoke)]
    public void BareChaChaPoly()
    {
        for (var i = 0; i < WritesPerInvoke; i++)
        {
            var nonce = _nonce++;
            ChaChaPoly.Encrypt(_key, nonce, [], _payload, _buffer);
            if (!ChaChaPoly.TryDecrypt(_key, nonce, [], _buffer, _buffer))
                throw new InvalidOperationException("the frame did not authenticate");
        }
    }

    [Benchmark(OperationsPerInvoke = WritesPerInvoke)]
    public Task SecureChannel() => Task.WhenAll(WriteAsync(_sending.Output), ReadAsync(_receiving.Input));

    private async Task WriteAsync(PipeWriter output)
    {
        for (var i = 0; i < WritesPerInvoke; i++)
        {
            _payload.CopyTo(output.GetMemory(FrameSize));
            output.Advance(FrameSize);
            await output.FlushAsync().ConfigureAwait(false);
        }
    }

    private async Task ReadAsync(PipeReader input)
    {
        var remaining = (long)WritesPerInvoke * FrameSize;
        while (remaining > 0)
        {
            var result = await input.ReadAsync().ConfigureAwait(false);
            remaining -= result.Buffer.Length;
            input.AdvanceTo(result.Buffer.End);
        }
    }
}
