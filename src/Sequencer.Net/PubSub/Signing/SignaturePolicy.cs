namespace Sequencer.Net.PubSub.Signing;

/// <summary>How messages are authored and checked (libp2p pubsub "signature policy").</summary>
public enum SignaturePolicy
{
    /// <summary>
    /// Every message carries <c>from</c> (the author's peer id), an 8-byte <c>seqno</c>, a <c>signature</c> over
    /// <c>"libp2p-pubsub:" ‖ protobuf(message without signature and key)</c> and, as js sends it, the author's
    /// <c>key</c>. Unsigned, mis-signed or mismatched messages are rejected and penalise the peer that sent them.
    /// </summary>
    StrictSign,

    /// <summary>Messages carry only <c>data</c> and <c>topic</c>; any of from, seqno, signature or key is rejected.</summary>
    StrictNoSign,
}
