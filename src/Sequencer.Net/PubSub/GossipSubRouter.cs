using System.Text;
using System.Text.Unicode;
using Sequencer.Core.Identity;
using Sequencer.Net.PubSub.Scoring;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub;

/// <summary>
/// A GossipSub v1.1 router (<c>/meshsub/1.1.0</c>, also speaking 1.0 and accepting 1.2's IDONTWANT), independent of
/// any transport: the host adds each peer with an <see cref="IPubSubPeerLink"/> to send through and hands every RPC
/// the peer sends to <see cref="HandleRpcAsync"/> (or lets <see cref="ReadFromAsync"/> do the framing). Time comes
/// from the injected <see cref="TimeProvider"/> and every random choice from the injected <see cref="Random"/>, so a
/// simulation with a fake clock and a seed replays exactly.
/// <para>
/// Concurrency: one lock guards all routing state; sends happen under it (links only queue). Signature checks,
/// topic validators and subscriber handlers run outside it, so peers are served in parallel and a slow validator
/// holds up only the peer whose message it judges. RPCs of one peer must be handed over one at a time.
/// </para>
/// </summary>
public sealed partial class GossipSubRouter : IDisposable
{
    private readonly Lock _gate = new();
    private readonly GossipSubOptions _options;
    private readonly RouterClock _clock;
    private readonly Random _random;
    private readonly IPubSubSigner? _signer;
    private readonly IPubSubSignatureVerifier? _verifier;
    private readonly byte[] _localPeerId;
    private readonly MessageIdFunction _messageId;

    private readonly Dictionary<byte[], PubSubPeer> _peers = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], TopicState> _topics = new(ByteKeyComparer.Instance);
    private readonly Dictionary<byte[], TopicState>.AlternateLookup<ReadOnlySpan<byte>> _topicsByName;
    private readonly Dictionary<string, TopicScoreParameters> _topicScoreParameters = new(StringComparer.Ordinal);
    private readonly HashSet<byte[]> _directPeerIds = new(ByteKeyComparer.Instance);
    private readonly SeenCache _seen;
    private readonly MessageCache _cache;
    private readonly PeerScore _score;
    private readonly GossipPromises _promises = new();
    private readonly Dictionary<MessageIdKey, PubSubMessage> _validating = new(MessageIdKeyComparer.Instance);

    // Durations in clock ticks.
    private readonly long _heartbeatTicks;
    private readonly long _decayTicks;

    // Scratch space, used under the lock only.
    private readonly ReusableList<PubSubPeer> _peerScratch = new();
    private readonly ReusableList<PubSubPeer> _candidateScratch = new();
    private readonly ReusableList<PubSubMessage> _gossipScratch = new();
    private readonly ReusableList<ByteRange> _iwantScratch = new();
    private readonly HashSet<MessageIdKey> _idScratch = new(MessageIdKeyComparer.Instance);
    private readonly ReusableList<TopicState> _topicScratch = new();
    private readonly ReusableList<byte[]> _keyScratch = new();
    private readonly RpcBuilder _controlScratch = new();
    private byte[] _sendBuffer = new byte[4096];

    private ITimer? _heartbeat;
    private long _heartbeatCount;
    private long _lastDecay;
    private ulong _nextSeqno;
    private bool _disposed;

    /// <param name="options">Parameters (validated here; an invalid combination throws <see cref="ArgumentException"/>).</param>
    /// <param name="localPeerId">This node's peer id (multihash bytes).</param>
    /// <param name="time">The clock; tests pass a <c>FakeTimeProvider</c>.</param>
    /// <param name="random">The source of every random choice (mesh selection, gossip targets, first seqno).</param>
    /// <param name="signer">Signs our messages; required under StrictSign.</param>
    /// <param name="verifier">Verifies received messages; required under StrictSign.</param>
    public GossipSubRouter(
        GossipSubOptions options, ReadOnlyMemory<byte> localPeerId, TimeProvider time, Random random,
        IPubSubSigner? signer = null, IPubSubSignatureVerifier? verifier = null)
    {
        options.Validate();
        if (localPeerId.IsEmpty)
            throw new ArgumentException("the local peer id is empty", nameof(localPeerId));
        if (options.SignaturePolicy == SignaturePolicy.StrictSign && (signer is null || verifier is null))
            throw new ArgumentException("StrictSign needs both a signer and a verifier");
        if (signer is not null && !signer.PeerId.Span.SequenceEqual(localPeerId.Span))
            throw new ArgumentException("the signer's peer id is not the local peer id", nameof(signer));
        _options = options;
        _clock = new RouterClock(time);
        _random = random;
        _signer = signer;
        _verifier = verifier;
        _localPeerId = localPeerId.ToArray();
        _messageId = options.MessageId ?? MessageIds.JsDefault(options.SignaturePolicy);
        _topicsByName = _topics.GetAlternateLookup<ReadOnlySpan<byte>>();
        foreach (var peerId in options.DirectPeers)
            _directPeerIds.Add(peerId.ToArray());
        _seen = new SeenCache(_clock, options.SeenTtl);
        _cache = new MessageCache(options.MessageCacheLength, options.MessageCacheGossip);
        _score = new PeerScore(options.Score, TopicScoreParametersOf, _clock);
        _heartbeatTicks = _clock.Ticks(options.HeartbeatInterval);
        _decayTicks = _clock.Ticks(options.Score.DecayInterval);
        _lastDecay = _clock.Now;
        // Sequence numbers count up from a random start, so ids stay unique across restarts (js draws each at random).
        _nextSeqno = (ulong)random.NextInt64();
    }

    /// <summary>
    /// A router for a node with the libp2p identity <paramref name="identity"/> (kept by the caller, disposed after
    /// the router): its peer id is the local peer id, and under StrictSign it signs with the key and verifies with
    /// <see cref="PeerKeyVerifier"/>.
    /// </summary>
    public static GossipSubRouter ForIdentity(
        GossipSubOptions options, PeerPrivateKey identity, TimeProvider time, Random random)
    {
        var signer = new PeerKeySigner(identity);
        return options.SignaturePolicy == SignaturePolicy.StrictSign
            ? new GossipSubRouter(options, signer.PeerId, time, random, signer, new PeerKeyVerifier())
            : new GossipSubRouter(options, signer.PeerId, time, random);
    }

    public GossipSubOptions Options => _options;

    public GossipSubCounters Counters { get; } = new();

    public ReadOnlyMemory<byte> LocalPeerId => _localPeerId;

    /// <summary>Starts the heartbeat (first after <see cref="GossipSubOptions.HeartbeatInitialDelay"/>).</summary>
    public void Start()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_heartbeat is not null)
                throw new InvalidOperationException("the router is already started");
            _heartbeat = _clock.Provider.CreateTimer(
                static state => ((GossipSubRouter)state!).Heartbeat(), this,
                _options.HeartbeatInitialDelay, _options.HeartbeatInterval);
        }
    }

    public void Dispose()
    {
        ITimer? heartbeat;
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            heartbeat = _heartbeat;
            _heartbeat = null;
        }
        heartbeat?.Dispose();
    }

    /// <summary>
    /// A peer's pubsub stream is up: the router sends it our subscriptions at once and routes through
    /// <paramref name="link"/> from now on. A second call for the same peer id replaces the first.
    /// </summary>
    /// <param name="peerId">The remote peer id (multihash bytes), as authenticated by the secure channel.</param>
    /// <param name="protocol">The negotiated gossipsub version.</param>
    /// <param name="outbound">We dialled the connection.</param>
    /// <param name="link">Where the router sends this peer's frames.</param>
    /// <param name="address">The remote IP address, for the IP colocation score (P₆); null if unknown.</param>
    public PubSubPeer AddPeer(
        ReadOnlySpan<byte> peerId, PubSubProtocol protocol, bool outbound, IPubSubPeerLink link, string? address = null)
    {
        if (peerId.IsEmpty)
            throw new ArgumentException("the peer id is empty", nameof(peerId));
        ArgumentNullException.ThrowIfNull(link);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_peers.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(peerId, out var previous))
                RemovePeerLocked(previous);
            var id = peerId.ToArray();
            var peer = new PubSubPeer(id, protocol, outbound, _directPeerIds.Contains(id), link, _score.Connect(id, address));
            _peers.Add(id, peer);
            foreach (var topic in _topics.Values)
                if (topic.Subscribed)
                    peer.Outbox.AddSubscription(true, topic.NameUtf8);
            Flush(peer);
            return peer;
        }
    }

    /// <summary>The peer disconnected (or its pubsub stream closed). Its score is kept for a while.</summary>
    public void RemovePeer(PubSubPeer peer)
    {
        lock (_gate)
            RemovePeerLocked(peer);
    }

    private void RemovePeerLocked(PubSubPeer peer)
    {
        if (!peer.IsConnected)
            return;
        peer.IsConnected = false;
        if (_peers.TryGetValue(peer.Id, out var current) && current == peer)
            _peers.Remove(peer.Id);
        _topicScratch.Clear();
        foreach (var topic in _topics.Values)
        {
            topic.Peers.Remove(peer);
            topic.Mesh.Remove(peer);
            topic.Fanout?.Remove(peer);
            if (topic.IsUnused)
                _topicScratch.Add(topic);
        }
        foreach (var topic in _topicScratch.AsSpan())
            _topics.Remove(topic.NameUtf8);
        peer.Topics.Clear();
        peer.Outbox.Clear();
        _score.Disconnect(peer.Score);
    }

    /// <summary>Drops a peer that broke the protocol and tells its link why.</summary>
    private void ClosePeer(PubSubPeer peer, RpcError error, long offset, long frameLength)
    {
        lock (_gate)
        {
            if (!peer.IsConnected)
                return;
            Counters.ProtocolViolationsCount++;
            RemovePeerLocked(peer);
        }
        peer.Link.Close(new PubSubProtocolException(peer.ToString(), error, offset, frameLength));
    }

    /// <summary>
    /// Subscribes to <paramref name="topic"/>: announces it to every peer, builds the mesh (from the fanout set first)
    /// and grafts it. Accepted messages of the topic go to <paramref name="handler"/>; subscribing again replaces it.
    /// </summary>
    public void Subscribe(string topic, PubSubMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        var name = TopicName(topic);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var state = GetOrAddTopic(name);
            state.Handler = handler;
            if (state.Subscribed)
                return;
            state.Subscribed = true;
            foreach (var peer in _peers.Values)
                peer.Outbox.AddSubscription(true, state.NameUtf8);
            Join(state);
            FlushAll();
        }
    }

    /// <summary>Leaves <paramref name="topic"/>: prunes its mesh (with the unsubscribe backoff) and announces it.</summary>
    public void Unsubscribe(string topic)
    {
        var name = TopicName(topic);
        lock (_gate)
        {
            if (!_topicsByName.TryGetValue(name, out var state) || !state.Subscribed)
                return;
            state.Subscribed = false;
            state.Handler = null;
            _peerScratch.Clear();
            foreach (var peer in state.Mesh)
                _peerScratch.Add(peer);
            foreach (var peer in _peerScratch.AsSpan())
                LeaveMesh(state, peer, _options.UnsubscribeBackoff);
            foreach (var peer in _peers.Values)
                peer.Outbox.AddSubscription(false, state.NameUtf8);
            FlushAll();
            RemoveIfUnused(state);
        }
    }

    /// <summary>Sets (or with null removes) the validator every received message of <paramref name="topic"/> must pass.</summary>
    public void SetTopicValidator(string topic, TopicValidator? validator)
    {
        var name = TopicName(topic);
        lock (_gate)
        {
            if (validator is null)
            {
                if (_topicsByName.TryGetValue(name, out var existing))
                {
                    existing.Validator = null;
                    RemoveIfUnused(existing);
                }
                return;
            }
            GetOrAddTopic(name).Validator = validator;
        }
    }

    /// <summary>Sets the score parameters of one topic (null: back to <see cref="PeerScoreParameters.DefaultTopic"/>).</summary>
    public void SetTopicScoreParameters(string topic, TopicScoreParameters? parameters)
    {
        TopicName(topic);
        parameters?.Validate(topic);
        lock (_gate)
        {
            if (parameters is null)
                _topicScoreParameters.Remove(topic);
            else
                _topicScoreParameters[topic] = parameters;
            _score.RefreshTopicParameters(topic);
        }
    }

    private TopicScoreParameters? TopicScoreParametersOf(string topic) =>
        _topicScoreParameters.TryGetValue(topic, out var parameters) ? parameters : _options.Score.DefaultTopic;

    /// <summary>The current score of a peer (also of one disconnected within the retention time), or null if unknown.</summary>
    public double? GetPeerScore(ReadOnlySpan<byte> peerId)
    {
        lock (_gate)
            return _score.TryGet(peerId, out var state) ? _score.Score(state) : null;
    }

    /// <summary>The peer ids in our mesh for <paramref name="topic"/> (a copy).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> GetMeshPeers(string topic)
    {
        var name = TopicName(topic);
        lock (_gate)
            return _topicsByName.TryGetValue(name, out var state) ? Ids(state.Mesh) : [];
    }

    /// <summary>The connected peers subscribed to <paramref name="topic"/> (a copy).</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> GetTopicPeers(string topic)
    {
        var name = TopicName(topic);
        lock (_gate)
            return _topicsByName.TryGetValue(name, out var state) ? Ids(state.Peers) : [];
    }

    private static ReadOnlyMemory<byte>[] Ids(HashSet<PubSubPeer> peers)
    {
        var ids = new ReadOnlyMemory<byte>[peers.Count];
        var i = 0;
        foreach (var peer in peers)
            ids[i++] = peer.Id;
        return ids;
    }

    public bool IsSubscribed(string topic)
    {
        var name = TopicName(topic);
        lock (_gate)
            return _topicsByName.TryGetValue(name, out var state) && state.Subscribed;
    }

    private byte[] TopicName(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        var name = Encoding.UTF8.GetBytes(topic);
        if (name.Length > _options.MaxTopicLength)
            throw new ArgumentException(
                $"topic is {name.Length} bytes long, over the limit of {_options.MaxTopicLength}", nameof(topic));
        return name;
    }

    private TopicState GetOrAddTopic(ReadOnlySpan<byte> name)
    {
        if (_topicsByName.TryGetValue(name, out var state))
            return state;
        var bytes = name.ToArray();
        state = new TopicState(Encoding.UTF8.GetString(bytes), bytes);
        _topics.Add(bytes, state);
        return state;
    }

    /// <summary>A topic name from the wire we are willing to track: bounded and valid UTF-8 (protobuf strings).</summary>
    private bool IsAcceptableTopic(ReadOnlySpan<byte> name) => name.Length <= _options.MaxTopicLength && Utf8.IsValid(name);

    private void RemoveIfUnused(TopicState topic)
    {
        if (topic.IsUnused && _topics.Remove(topic.NameUtf8))
            _score.ForgetTopic(topic.Name);
    }

    private double ScoreOf(PubSubPeer peer) => _score.Score(peer.Score);

    private bool InBackoff(TopicState topic, PubSubPeer peer, long slack) =>
        topic.Backoff.TryGetValue(peer.Id, out var until) && _clock.Now < until + slack;

    private void AddBackoff(TopicState topic, PubSubPeer peer, TimeSpan backoff)
    {
        var until = _clock.Now + _clock.Ticks(backoff);
        if (!topic.Backoff.TryGetValue(peer.Id, out var current) || current < until)
            topic.Backoff[peer.Id] = until;
    }

    /// <summary>Fisher–Yates over the injected random source.</summary>
    private void Shuffle<T>(Span<T> items)
    {
        for (var i = items.Length - 1; i > 0; i--)
        {
            var j = _random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
