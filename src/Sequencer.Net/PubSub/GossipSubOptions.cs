using Sequencer.Net.PubSub.Scoring;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub;

/// <summary>
/// GossipSub v1.1 parameters. Defaults are those of the specs and of js-libp2p's gossipsub 14 (what the interop
/// peer runs), except where a comment says otherwise.
/// </summary>
public sealed record GossipSubOptions
{
    /// <summary>Target mesh degree, and the bounds the heartbeat keeps each mesh within.</summary>
    public int D { get; init; } = 6;
    public int Dlo { get; init; } = 4;
    public int Dhi { get; init; } = 12;
    /// <summary>Peers kept by score (the rest at random) when an oversubscribed mesh is pruned.</summary>
    public int Dscore { get; init; } = 4;
    /// <summary>Outbound connections each mesh keeps (below Dlo, at most D/2), against inbound sybil takeover.</summary>
    public int Dout { get; init; } = 2;
    /// <summary>Minimum number of peers gossip (IHAVE) goes to per topic and heartbeat.</summary>
    public int Dlazy { get; init; } = 6;
    /// <summary>Share of eligible peers gossip goes to when that is more than <see cref="Dlazy"/>.</summary>
    public double GossipFactor { get; init; } = 0.25;

    public TimeSpan HeartbeatInitialDelay { get; init; } = TimeSpan.FromMilliseconds(100);
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a fanout set (peers for a topic we publish to without subscribing) outlives our last publish.</summary>
    public TimeSpan FanoutTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Heartbeats a message stays available for IWANT, and how many of the newest ones gossip advertises.</summary>
    public int MessageCacheLength { get; init; } = 5;
    public int MessageCacheGossip { get; init; } = 3;

    /// <summary>How long a message id is remembered so the message is processed once.</summary>
    public TimeSpan SeenTtl { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a pruned peer and we stay apart before grafting again.</summary>
    public TimeSpan PruneBackoff { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>The backoff sent with the PRUNEs of a topic we leave (go's default; shorter, as we chose to leave).</summary>
    public TimeSpan UnsubscribeBackoff { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>A GRAFT this soon after our PRUNE costs an extra behaviour penalty.</summary>
    public TimeSpan GraftFloodThreshold { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Upper bound on a backoff a peer can ask for in its PRUNE.</summary>
    public TimeSpan MaxPruneBackoff { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Topics that build no mesh of ours: we graft nobody and emit no gossip for them, so their messages travel by
    /// <see cref="FloodPublish"/> alone and we relay them only to peers that grafted us. For short-lived topics whose
    /// subscribers all hold direct connections to each other (a consensus round's committee), where relaying only
    /// delivers every message again to peers that already have it. Null: every topic builds its mesh.
    /// </summary>
    public Func<string, bool>? FloodOnlyTopic { get; init; }

    /// <summary>Publish our own messages to every topic peer above the publish threshold, not only the mesh.</summary>
    public bool FloodPublish { get; init; } = true;
    /// <summary>Off (as in js): publishing to a topic without any peer fails with <see cref="PublishStatus.NoPeers"/>.</summary>
    public bool AllowPublishToZeroPeers { get; init; }

    /// <summary>Most message ids asked from one peer per heartbeat, and IHAVEs accepted from one peer per heartbeat.</summary>
    public int MaxIHaveLength { get; init; } = 5000;
    public int MaxIHaveMessages { get; init; } = 10;
    /// <summary>How long a peer that advertised a message has to deliver it once asked, before a behaviour penalty.</summary>
    public TimeSpan IWantFollowupTime { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>How often one message is sent to one peer in answer to IWANT.</summary>
    public int GossipRetransmission { get; init; } = 3;

    public int OpportunisticGraftTicks { get; init; } = 60;
    public int OpportunisticGraftPeers { get; init; } = 2;

    /// <summary>Heartbeats between reconnection attempts to disconnected direct peers.</summary>
    public int DirectConnectTicks { get; init; } = 300;

    /// <summary>Largest RPC frame accepted or sent.</summary>
    public int MaxRpcSize { get; init; } = RpcFrame.DefaultMaxRpcSize;
    /// <summary>Largest encoded Message accepted or published; larger received ones are dropped unprocessed.</summary>
    public int MaxMessageSize { get; init; } = 1 << 20;
    public RpcLimits RpcLimits { get; init; } = RpcLimits.Default;
    /// <summary>Topics one peer may be subscribed to as far as we track; further subscriptions are ignored.</summary>
    public int MaxTopicsPerPeer { get; init; } = 1024;
    /// <summary>Longest topic name (UTF-8 bytes) we track.</summary>
    public int MaxTopicLength { get; init; } = 1024;

    /// <summary>Messages at least this large (encoded) are announced with IDONTWANT to /meshsub/1.2.0 mesh peers.</summary>
    public int IDontWantMessageThreshold { get; init; } = 1024;
    /// <summary>IDONTWANT ids accepted from one peer per heartbeat, and how many heartbeats each is honoured.</summary>
    public int MaxIDontWantMessages { get; init; } = 1000;
    public int IDontWantTtlHeartbeats { get; init; } = 3;

    public SignaturePolicy SignaturePolicy { get; init; } = SignaturePolicy.StrictSign;
    /// <summary>Null: js-libp2p's default for <see cref="SignaturePolicy"/> (see <see cref="MessageIds"/>).</summary>
    public MessageIdFunction? MessageId { get; init; }
    /// <summary>
    /// Under StrictSign, threads (beyond the one handling a peer's messages in order) that check the signatures of the
    /// messages of one read ahead of it; 0 checks each on the handling thread. Default: one per further core, at most 3.
    /// </summary>
    public int SignatureCheckHelpers { get; init; } = SignatureBatch.DefaultHelpers;

    /// <summary>Peer ids (multihash bytes) of explicit peering agreements: always forwarded to, never grafted.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> DirectPeers { get; init; } = [];
    /// <summary>
    /// Called (outside the router's lock) with each direct peer that is not connected, at the first heartbeat and then
    /// every <see cref="DirectConnectTicks"/>: the host dials it.
    /// </summary>
    public Action<ReadOnlyMemory<byte>>? ConnectDirectPeer { get; init; }

    public PeerScoreParameters Score { get; init; } = new();
    public PeerScoreThresholds Thresholds { get; init; } = new();

    internal void Validate()
    {
        static void Require(bool condition, string message)
        {
            if (!condition)
                throw new ArgumentException($"gossipsub options: {message}");
        }
        Require(Dlo >= 0 && Dlo <= D && D <= Dhi, $"need 0 ≤ Dlo ≤ D ≤ Dhi, have Dlo {Dlo}, D {D}, Dhi {Dhi}");
        Require(Dscore >= 0 && Dscore <= D, $"need 0 ≤ Dscore ≤ D, have Dscore {Dscore}, D {D}");
        Require(Dout >= 0 && (Dout < Dlo || Dlo == 0) && Dout <= D / 2, $"need Dout < Dlo and Dout ≤ D/2, have Dout {Dout}, Dlo {Dlo}, D {D}");
        Require(Dlazy >= 0, $"Dlazy must be ≥ 0, is {Dlazy}");
        Require(GossipFactor is >= 0 and <= 1, $"GossipFactor must lie in [0, 1], is {GossipFactor}");
        Require(HeartbeatInterval > TimeSpan.Zero, $"HeartbeatInterval must be positive, is {HeartbeatInterval}");
        Require(HeartbeatInitialDelay >= TimeSpan.Zero, $"HeartbeatInitialDelay must not be negative, is {HeartbeatInitialDelay}");
        Require(MessageCacheLength >= 1 && MessageCacheGossip >= 0 && MessageCacheGossip <= MessageCacheLength,
            $"need 0 ≤ MessageCacheGossip ≤ MessageCacheLength, 1 ≤ MessageCacheLength, have {MessageCacheGossip} and {MessageCacheLength}");
        Require(SeenTtl > TimeSpan.Zero, $"SeenTtl must be positive, is {SeenTtl}");
        Require(PruneBackoff > TimeSpan.Zero && UnsubscribeBackoff > TimeSpan.Zero && MaxPruneBackoff >= PruneBackoff,
            $"backoffs must be positive and MaxPruneBackoff ≥ PruneBackoff, have {PruneBackoff}, {UnsubscribeBackoff}, {MaxPruneBackoff}");
        Require(MaxIHaveLength >= 0 && MaxIHaveMessages >= 0 && GossipRetransmission >= 0,
            $"gossip limits must not be negative: {MaxIHaveLength}, {MaxIHaveMessages}, {GossipRetransmission}");
        Require(OpportunisticGraftTicks >= 1 && DirectConnectTicks >= 1,
            $"tick periods must be ≥ 1, have {OpportunisticGraftTicks} and {DirectConnectTicks}");
        Require(MaxRpcSize >= 1024, $"MaxRpcSize must be at least 1024, is {MaxRpcSize}");
        Require(MaxMessageSize >= 1 && MaxMessageSize <= MaxRpcSize - 16,
            $"MaxMessageSize must lie in [1, MaxRpcSize - 16], is {MaxMessageSize} with MaxRpcSize {MaxRpcSize}");
        Require(MaxTopicsPerPeer >= 1 && MaxTopicLength >= 1, $"topic limits must be ≥ 1, have {MaxTopicsPerPeer} and {MaxTopicLength}");
        Require(IDontWantTtlHeartbeats >= 1 && MaxIDontWantMessages >= 0,
            $"IDONTWANT limits: need TTL ≥ 1 and a non-negative count, have {IDontWantTtlHeartbeats} and {MaxIDontWantMessages}");
        Require(SignatureCheckHelpers is >= 0 and <= 64, $"SignatureCheckHelpers must lie in [0, 64], is {SignatureCheckHelpers}");
        Score.Validate();
        Thresholds.Validate();
    }
}
