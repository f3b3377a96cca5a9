namespace Sequencer.Net.PubSub.Signing;

/// <summary>Checks StrictSign authorship: that a message's key belongs to its <c>from</c> and signed it.</summary>
public interface IPubSubSignatureVerifier
{
    /// <summary>
    /// Verifies <paramref name="signature"/> over <paramref name="payload"/>. The key is <paramref name="key"/> (a
    /// libp2p <c>PublicKey</c> protobuf) when the message carried one, and then it must be the key
    /// <paramref name="from"/> names; when <paramref name="key"/> is empty it is the key inlined in the peer id.
    /// Must be safe to call from several threads at once.
    /// </summary>
    SignatureCheck Verify(
        ReadOnlySpan<byte> from, ReadOnlySpan<byte> key, ReadOnlySpan<byte> payload, ReadOnlySpan<byte> signature);
}
