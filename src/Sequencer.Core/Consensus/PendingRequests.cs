using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Ports;

namespace Sequencer.Core.Consensus;

/// <summary>
/// The node's table of outbound requests by id. Ids are a per-node counter (deterministic under the simulation); an
/// entry leaves when its one response or failure arrives, so a request whose round has ended still finds its owner,
/// which then ignores it. Loop-only.
/// </summary>
internal sealed class PendingRequests
{
    private readonly Dictionary<long, PendingRequest> _pending = [];
    private long _nextId;

    public int Count => _pending.Count;

    /// <summary>Sends <paramref name="payload"/> as a request and registers <paramref name="request"/> for its answer.</summary>
    public void Send(IConsensusNetwork network, PendingRequest request, SequencerProtocol protocol,
        ReadOnlyMemory<byte> payload, TimeSpan timeout)
    {
        var id = new RequestId(++_nextId);
        _pending.Add(id.Value, request);
        network.SendRequest(request.ToValidator, protocol, payload, id, timeout);
    }

    public bool TryTake(RequestId id, [NotNullWhen(true)] out PendingRequest? request) => _pending.Remove(id.Value, out request);
}
