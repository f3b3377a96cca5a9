using System.Buffers;
using Sequencer.Core.Committee;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Ports;
using Sequencer.Core.Validators;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Byzantine;

/// <summary>
/// What a Byzantine behaviour works with: its node's real network endpoint (it may send anything, to anyone, but
/// always as itself — the network authenticates the sender), its validator key (it signs whatever it likes, bypassing
/// the safety rules an honest node goes through), the directory, its process's seeded <see cref="Random"/> and clock.
/// </summary>
public sealed class ByzantineContext
{
    private long _nextOwnRequest;

    internal ByzantineContext(
        SimulatedEndpoint endpoint, Secp256k1PrivateKey key, ValidatorDirectory directory, CommitteeSize committeeSize,
        Random random, ProcessScope scope)
    {
        Endpoint = endpoint;
        Key = key;
        Directory = directory;
        CommitteeSize = committeeSize;
        Random = random;
        Scope = scope;
    }

    public SimulatedEndpoint Endpoint { get; }

    public Secp256k1PrivateKey Key { get; }

    public ValidatorDirectory Directory { get; }

    /// <summary>The network's committee size (a consensus rule, so every adversary knows it too).</summary>
    public CommitteeSize CommitteeSize { get; }

    public Random Random { get; }

    public ProcessScope Scope { get; }

    public int OwnIndex => Endpoint.ValidatorIndex;

    public TimeProvider Time => Scope.Time;

    /// <summary>
    /// Sends a request of the adversary's own. Its ids are negative, so they never collide with the engine's, and its
    /// response or failure is swallowed before the engine sees it.
    /// </summary>
    public void SendOwnRequest(int toValidator, SequencerProtocol protocol, ReadOnlyMemory<byte> payload) =>
        Endpoint.SendRequest(toValidator, protocol, payload, new RequestId(--_nextOwnRequest), TimeSpan.FromSeconds(2));

    public static bool IsOwnRequest(RequestId id) => id.Value < 0;

    /// <summary>Signs a 32-byte digest with the validator key (deterministic aux from the process's random).</summary>
    public void Sign(ReadOnlySpan<byte> digest, Span<byte> signature)
    {
        Span<byte> auxiliary = stackalloc byte[Secp256k1PrivateKey.AuxiliaryRandomSize];
        Random.NextBytes(auxiliary);
        Key.SignSchnorr(digest, auxiliary, signature);
    }

    /// <summary>Encodes a message with its <c>Encode(IBufferWriter)</c> into a fresh array.</summary>
    public static byte[] Encode(Action<IBufferWriter<byte>> encode)
    {
        var buffer = new ArrayBufferWriter<byte>();
        encode(buffer);
        return buffer.WrittenSpan.ToArray();
    }
}
