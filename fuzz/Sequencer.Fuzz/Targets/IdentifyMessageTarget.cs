using Sequencer.Net.Addressing;
using Sequencer.Net.Identify;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// <see cref="IdentifyMessage.TryDecode"/>, on what a peer answers on <c>/ipfs/id/1.0.0</c>. Checks: an error comes
/// with a description and no message, success with a message; an accepted message re-encodes to bytes that decode to
/// the same fields (minus the addresses it skipped), and encoding is stable from then on.
/// </summary>
internal sealed class IdentifyMessageTarget : IFuzzTarget
{
    public string Name => "identify-message";

    public IEnumerable<byte[]> Seeds()
    {
        using var key = IdentitySamples.Secp256k1();
        yield return IdentifyMessage.ForLocalPeer(key.PublicKey, [Multiaddr.Parse("/ip4/127.0.0.1/tcp/4001")],
            Multiaddr.Parse("/ip4/10.0.0.2/tcp/51000"), [IdentifyProtocol.ProtocolId, "/ipfs/ping/1.0.0", "/meshsub/1.1.0"]).ToArray();
        yield return new IdentifyMessage
        {
            ProtocolVersion = "ipfs/0.1.0",
            AgentVersion = "js-libp2p/2.10.0 node/20.20.2",
            ListenAddresses = [Multiaddr.Parse("/ip6/::1/tcp/4001"), Multiaddr.Parse("/dns4/example.org/tcp/443")],
            Protocols = ["/floodsub/1.0.0", "/meshsub/1.2.0"],
            SignedPeerRecord = new byte[] { 1, 2, 3 },
        }.ToArray();
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        var error = IdentifyMessage.TryDecode(input, out var message, out var failure);
        ThrowIf(!Enum.IsDefined(error), "an undefined IdentifyError");
        ThrowIf((error == IdentifyError.None) != (message is not null), "the error and the message disagree");
        ThrowIf((error == IdentifyError.None) == (failure.Length > 0), "the error and the description disagree");
        if (message is null)
        {
            ThrowIf(error is not (IdentifyError.MalformedProtobuf or IdentifyError.InvalidString), $"the decoder returned {error}");
            return;
        }
        var encoded = message.ToArray();
        ThrowIf(IdentifyMessage.TryDecode(encoded, out var again, out _) != IdentifyError.None, "the re-encoded message is refused");
        ThrowIf(again!.ProtocolVersion != message.ProtocolVersion || again.AgentVersion != message.AgentVersion
            || !again.PublicKey.Span.SequenceEqual(message.PublicKey.Span)
            || !again.ListenAddresses.SequenceEqual(message.ListenAddresses) || again.ObservedAddress != message.ObservedAddress
            || !again.Protocols.SequenceEqual(message.Protocols)
            || !again.SignedPeerRecord.Span.SequenceEqual(message.SignedPeerRecord.Span)
            || again.SkippedAddresses != 0, "the re-encoded message decodes to other fields");
        ThrowIf(!again.ToArray().AsSpan().SequenceEqual(encoded), "encoding a decoded message is not stable");
        message.TryGetPublicKey(out _);
    }
}
