namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// Field numbers of the pubsub protobuf schema (libp2p/specs pubsub/README.md and gossipsub v1.0–v1.2):
/// <code>
/// RPC            { repeated SubOpts subscriptions = 1; repeated Message publish = 2; optional ControlMessage control = 3; }
/// SubOpts        { optional bool subscribe = 1; optional string topicid = 2; }
/// Message        { from = 1; data = 2; seqno = 3; topic = 4; signature = 5; key = 6; }   (all bytes/string)
/// ControlMessage { repeated ihave = 1; iwant = 2; graft = 3; prune = 4; idontwant = 5 (v1.2); }
/// ControlIHave   { optional string topicID = 1; repeated bytes messageIDs = 2; }
/// ControlIWant   { repeated bytes messageIDs = 1; }
/// ControlGraft   { optional string topicID = 1; }
/// ControlPrune   { optional string topicID = 1; repeated PeerInfo peers = 2; optional uint64 backoff = 3; }
/// PeerInfo       { optional bytes peerID = 1; optional bytes signedPeerRecord = 2; }
/// ControlIDontWant { repeated bytes messageIDs = 1; }
/// </code>
/// </summary>
internal static class RpcSchema
{
    public const int RpcSubscriptions = 1;
    public const int RpcPublish = 2;
    public const int RpcControl = 3;

    public const int SubOptsSubscribe = 1;
    public const int SubOptsTopic = 2;

    public const int MessageFrom = 1;
    public const int MessageData = 2;
    public const int MessageSeqno = 3;
    public const int MessageTopic = 4;
    public const int MessageSignature = 5;
    public const int MessageKey = 6;

    public const int ControlIHave = 1;
    public const int ControlIWant = 2;
    public const int ControlGraft = 3;
    public const int ControlPrune = 4;
    public const int ControlIDontWant = 5;

    public const int IHaveTopic = 1;
    public const int IHaveMessageIds = 2;
    public const int IWantMessageIds = 1;
    public const int GraftTopic = 1;
    public const int PruneTopic = 1;
    public const int PrunePeers = 2;
    public const int PruneBackoff = 3;
    public const int PeerInfoPeerId = 1;
    public const int PeerInfoSignedPeerRecord = 2;
    public const int IDontWantMessageIds = 1;
}
