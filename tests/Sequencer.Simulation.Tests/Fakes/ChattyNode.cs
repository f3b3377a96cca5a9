using Sequencer.Core.Ports;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;
using Sequencer.Simulation.Nodes;

namespace Sequencer.Simulation.Tests.Fakes;

/// <summary>
/// A busy fake process for whole-run tests of the simulator: on a jittered periodic timer it sends a request to a
/// random peer and publishes on a shared topic; it answers requests after an <c>await Task.Delay</c> on the virtual
/// clock (so async continuations are exercised); every few ticks it makes a durable write. Everything random comes
/// from its incarnation's seeded <see cref="Random"/>.
/// </summary>
internal sealed class ChattyNode(HostStart start, int peers, List<string> journal) : IHostedProcess, INetworkEvents
{
    public const string Topic = "chatter";

    private long _nextRequest;
    private ITimer? _timer;

    public INetworkEvents Events => this;

    public int Ticks { get; private set; }

    public void Start()
    {
        start.Endpoint.Subscribe(Topic, FixedVerdict.AcceptAll);
        _timer = start.Time.CreateTimer(_ => Tick(), null,
            TimeSpan.FromMilliseconds(start.Random.Next(1, 50)), TimeSpan.FromMilliseconds(start.Random.Next(20, 80)));
    }

    private void Tick()
    {
        Ticks++;
        var payload = new byte[start.Random.Next(1, 16)];
        start.Random.NextBytes(payload);
        start.Endpoint.SendRequest(start.Random.Next(peers), SequencerProtocol.Sync, payload, new RequestId(++_nextRequest),
            TimeSpan.FromMilliseconds(150));
        start.Endpoint.Publish(Topic, payload);
        if (Ticks % 5 == 0)
        {
            // One durable write per height, as a voter would make, at the first height this disk has no record of.
            var height = 1UL;
            while (start.SafetyStore.Find(SafetyRecordKind.Vote, 1, height).Status != SafetyLookupStatus.Absent)
                height++;
            var record = new SafetyRecord { ChainId = 1, Height = height, Value = Decision.Accept };
            start.SafetyStore.Save(SafetyRecordKind.Vote, record);
        }
    }

    public void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload)
    {
        Note($"request from {fromValidator} [{Convert.ToHexString(payload)}]");
        _ = AnswerLaterAsync(request, payload.ToArray());
    }

    private async Task AnswerLaterAsync(InboundRequestId request, byte[] payload)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(start.Random.Next(0, 30)), start.Time);
        start.Endpoint.SendResponse(request, payload);
    }

    public void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload) => Note($"response {id.Value} from {fromValidator}");

    public void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason) => Note($"failed {id.Value} to {toValidator}: {reason}");

    public void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload) => Note($"topic from {fromValidator}");

    public void Stop() => _timer?.Dispose();

    private void Note(string what) =>
        journal.Add($"{start.Scope.Scheduler.Now.Ticks} {start.Scope}: {what}");
}
