namespace Sequencer.Net.PubSub;

/// <summary>
/// Running totals for metrics and diagnostics. Written under the router's lock; reads are single 64-bit loads, so a
/// reader may see one counter a step ahead of another but never a torn value.
/// </summary>
public sealed class GossipSubCounters
{
    internal long MessagesReceivedCount;
    internal long DuplicatesCount;
    internal long DeliveredCount;
    internal long RejectedCount;
    internal long IgnoredCount;
    internal long PublishedCount;
    internal long DroppedFramesCount;
    internal long GraylistedRpcsCount;
    internal long ProtocolViolationsCount;
    internal long HandlerFailuresCount;
    internal long ValidatorFailuresCount;

    /// <summary>Messages received from peers, duplicates included.</summary>
    public long MessagesReceived => Volatile.Read(ref MessagesReceivedCount);
    public long Duplicates => Volatile.Read(ref DuplicatesCount);
    /// <summary>Received messages accepted (forwarded, and delivered to the topic's handler).</summary>
    public long Delivered => Volatile.Read(ref DeliveredCount);
    /// <summary>Messages that failed the signature policy or were rejected by their validator.</summary>
    public long Rejected => Volatile.Read(ref RejectedCount);
    /// <summary>Messages ignored: validator Ignore, too large, not for a subscribed topic, or self-published echoes.</summary>
    public long Ignored => Volatile.Read(ref IgnoredCount);
    public long Published => Volatile.Read(ref PublishedCount);
    /// <summary>Frames a peer link refused (its queue was full or closed).</summary>
    public long DroppedFrames => Volatile.Read(ref DroppedFramesCount);
    /// <summary>RPCs ignored because their sender's score was below the graylist threshold.</summary>
    public long GraylistedRpcs => Volatile.Read(ref GraylistedRpcsCount);
    /// <summary>Peers disconnected for malformed or oversized RPCs.</summary>
    public long ProtocolViolations => Volatile.Read(ref ProtocolViolationsCount);
    public long HandlerFailures => Volatile.Read(ref HandlerFailuresCount);
    public long ValidatorFailures => Volatile.Read(ref ValidatorFailuresCount);
}
