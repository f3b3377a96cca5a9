namespace Sequencer.Net.PubSub;

/// <summary>
/// The gossipsub message cache: messages of the last <c>historyLength</c> heartbeats, served to IWANT, and the ids
/// of the newest <c>gossipLength</c> heartbeats, advertised in IHAVE. <see cref="Shift"/> runs once per heartbeat.
/// </summary>
internal sealed class MessageCache
{
    private readonly Dictionary<MessageIdKey, PubSubMessage> _messages = new(MessageIdKeyComparer.Instance);
    private readonly ReusableList<PubSubMessage>[] _windows;
    private readonly int _gossipLength;
    private int _newest;

    public MessageCache(int historyLength, int gossipLength)
    {
        _windows = new ReusableList<PubSubMessage>[historyLength];
        for (var i = 0; i < historyLength; i++)
            _windows[i] = new ReusableList<PubSubMessage>();
        _gossipLength = gossipLength;
    }

    public int Count => _messages.Count;

    public void Put(PubSubMessage message)
    {
        if (_messages.TryAdd(message.IdKey, message))
            _windows[_newest].Add(message);
    }

    public bool TryGet(ReadOnlySpan<byte> id, out PubSubMessage message) =>
        _messages.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(id, out message!);

    /// <summary>Adds to <paramref name="into"/> the messages of <paramref name="topic"/> that gossip advertises.</summary>
    public void CollectGossip(string topic, ReusableList<PubSubMessage> into)
    {
        for (var age = 0; age < _gossipLength; age++)
        {
            var window = _windows[(_newest - age + _windows.Length) % _windows.Length];
            foreach (var message in window.AsSpan())
                if (string.Equals(message.Topic, topic, StringComparison.Ordinal))
                    into.Add(message);
        }
    }

    /// <summary>Starts a new heartbeat's window, forgetting the oldest one.</summary>
    public void Shift()
    {
        _newest = (_newest + 1) % _windows.Length;
        var oldest = _windows[_newest];
        foreach (var message in oldest.AsSpan())
            _messages.Remove(message.IdKey);
        oldest.Clear();
    }
}
