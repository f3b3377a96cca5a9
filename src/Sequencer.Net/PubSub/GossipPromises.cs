using Sequencer.Net.PubSub.Scoring;

namespace Sequencer.Net.PubSub;

/// <summary>
/// IWANT follow-up tracking (gossipsub v1.1 spam protection): for each IWANT we send, one of the requested ids is
/// remembered with the peer that advertised it. If that message has not arrived from anyone by the deadline, the
/// peer broke its promise and earns a behaviour penalty, which soon graylists peers that advertise bogus ids.
/// </summary>
internal sealed class GossipPromises
{
    private readonly Dictionary<MessageIdKey, List<(PubSubPeer Peer, long Deadline)>> _promises = new(MessageIdKeyComparer.Instance);
    private readonly ReusableList<MessageIdKey> _settled = new();

    public int Count => _promises.Count;

    public void Add(ReadOnlySpan<byte> id, PubSubPeer peer, long deadline)
    {
        var byId = _promises.GetAlternateLookup<ReadOnlySpan<byte>>();
        if (!byId.TryGetValue(id, out var promises))
            byId[id] = promises = new List<(PubSubPeer, long)>(1);   // the key is created as a copy of the id
        foreach (var (existing, _) in promises)
            if (existing == peer)
                return;
        promises.Add((peer, deadline));
    }

    /// <summary>The message arrived (whatever its validity): every promise for it is kept.</summary>
    public void Fulfill(ReadOnlySpan<byte> id)
    {
        if (_promises.Count > 0)
            _promises.GetAlternateLookup<ReadOnlySpan<byte>>().Remove(id);
    }

    /// <summary>Penalises, once each, the promises past their deadline.</summary>
    public void PenalizeBroken(long now, PeerScore score)
    {
        _settled.Clear();
        foreach (var (id, promises) in _promises)
        {
            for (var i = promises.Count - 1; i >= 0; i--)
            {
                if (promises[i].Deadline > now)
                    continue;
                score.AddPenalty(promises[i].Peer.Score, 1);
                promises.RemoveAt(i);
            }
            if (promises.Count == 0)
                _settled.Add(id);
        }
        foreach (var id in _settled.AsSpan())
            _promises.Remove(id);
    }
}
