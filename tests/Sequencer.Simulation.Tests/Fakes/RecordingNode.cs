using Sequencer.Core.Ports;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Nodes;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Tests.Fakes;

/// <summary>
/// A minimal process for testing the simulator itself: it records every network event with the virtual time and the
/// process it ran in, answers requests by echoing them (or not, or twice, as configured), and accepts every topic
/// message its validator lets through.
/// </summary>
internal sealed class RecordingNode : INetworkEvents, IHostedProcess
{
    private readonly ProcessScope _scope;

    public RecordingNode(ProcessScope scope, IConsensusNetwork network)
    {
        _scope = scope;
        Network = network;
    }

    public RecordingNode(HostStart start) : this(start.Scope, start.Endpoint)
    {
    }

    public IConsensusNetwork Network { get; }

    public bool EchoRequests { get; set; } = true;

    public bool AnswerTwice { get; set; }

    public List<Received> Log { get; } = [];

    public INetworkEvents Events => this;

    public Action? OnStart { get; set; }

    public void Start() => OnStart?.Invoke();

    public IEnumerable<Received> OfKind(string kind) => Log.Where(r => r.Kind == kind);

    public void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload)
    {
        Record("request", fromValidator, payload, request.Value);
        if (!EchoRequests)
            return;
        Network.SendResponse(request, payload.ToArray());
        if (AnswerTwice)
            Network.SendResponse(request, payload.ToArray());
    }

    public void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload) =>
        Record("response", fromValidator, payload, id.Value);

    public void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason) =>
        Log.Add(new Received("failed:" + reason, toValidator, [], id.Value, _scope.Scheduler.Now, _scope.Scheduler.CurrentScope, null));

    public void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload) =>
        Log.Add(new Received("topic", fromValidator, payload.ToArray(), 0, _scope.Scheduler.Now, _scope.Scheduler.CurrentScope, topic));

    private void Record(string kind, int peer, ReadOnlySpan<byte> payload, long id) =>
        Log.Add(new Received(kind, peer, payload.ToArray(), id, _scope.Scheduler.Now, _scope.Scheduler.CurrentScope, null));

    internal sealed record Received(string Kind, int Peer, byte[] Payload, long Id, TimeSpan Time, ProcessScope? RanIn, string? Topic);
}
