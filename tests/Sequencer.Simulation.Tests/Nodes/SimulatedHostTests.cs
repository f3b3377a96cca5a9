using Sequencer.Core.Ports;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Nodes;
using Sequencer.Simulation.Scheduling;
using Sequencer.Simulation.Tests.Fakes;

namespace Sequencer.Simulation.Tests.Nodes;

public sealed class SimulatedHostTests
{
    private readonly SimulationScheduler _scheduler = new();
    private readonly SimulatedNetwork _network;
    private readonly List<HostStart> _starts = [];
    private readonly List<RecordingNode> _processes = [];

    public SimulatedHostTests() => _network = new SimulatedNetwork(_scheduler, new Random(1));

    private SimulatedHost NewHost(int id) => new(_scheduler, _network, id, id, $"node{id}", 1000 + id, start =>
    {
        _starts.Add(start);
        var process = new RecordingNode(start);
        _processes.Add(process);
        return process;
    });

    [Fact]
    public void ACrashDropsEverythingVolatileAndARestartKeepsTheDisk()
    {
        var host = NewHost(0);
        var peer = NewHost(1);
        host.Start();
        peer.Start();
        _scheduler.Run(TimeSpan.Zero);
        var first = _starts[0];
        var timerFired = false;
        first.Scope.Schedule(TimeSpan.Zero, TraceKind.Script, 0, () =>
        {
            first.Endpoint.Subscribe("t", FixedVerdict.AcceptAll);
            first.Time.CreateTimer(_ => timerFired = true, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
            first.SafetyStore.Save(SafetyRecordKind.Vote, new SafetyRecord { ChainId = 1, Height = 1, Value = Decision.Accept });
        });
        _scheduler.Run(TimeSpan.FromSeconds(1));

        host.Crash();
        Assert.False(host.IsRunning);
        Assert.Null(host.Process);
        Assert.Empty(_network.Topics);
        host.Start();
        _scheduler.Run(TimeSpan.FromSeconds(10));

        var second = _starts[2];
        Assert.Equal(1, second.Incarnation);
        Assert.NotSame(first.Scope, second.Scope);
        Assert.False(timerFired);
        Assert.Equal(SafetyLookupStatus.Found, second.SafetyStore.Find(SafetyRecordKind.Vote, 1, 1).Status);
        Assert.Equal(1, host.CrashCount);
        Assert.Throws<InvalidOperationException>(host.Start);
    }

    [Theory]
    [InlineData(SafetyCrashPoint.BeforeDurable, 0)]
    [InlineData(SafetyCrashPoint.AfterDurable, 1)]
    public void AnArmedCrashKillsTheProcessInsideTheWriteEvenIfTheEngineSwallowsIt(SafetyCrashPoint point, int durable)
    {
        var host = NewHost(0);
        var peer = NewHost(1);
        host.Start();
        peer.Start();
        _scheduler.Run(TimeSpan.Zero);
        var start = _starts[0];
        host.ArmSafetyCrash(point);
        start.Scope.Schedule(TimeSpan.Zero, TraceKind.Script, 0, () =>
        {
            try
            {
                start.SafetyStore.Save(SafetyRecordKind.Vote, new SafetyRecord { ChainId = 1, Height = 1, Value = Decision.Accept });
            }
            catch (SimulatedCrashException)
            {
                // An engine that catches too broadly would go on to send: nothing may leave a dead process.
            }
            start.Endpoint.SendRequest(1, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(1), TimeSpan.FromSeconds(1));
            start.Endpoint.Publish("t", new byte[] { 1 });
        });

        _scheduler.Run(TimeSpan.FromSeconds(5));

        Assert.False(host.IsRunning);
        Assert.Equal(durable, host.SafetyStore.SaveCount);
        Assert.Equal(0, _network.Statistics.RequestsSent + _network.Statistics.Published);
        Assert.Empty(_processes[1].Log);
    }

    [Fact]
    public void AnUncaughtInjectedCrashAlsoKillsTheProcessAndTheRunGoesOn()
    {
        var host = NewHost(0);
        host.Start();
        _scheduler.Run(TimeSpan.Zero);
        var crashed = new List<SimulatedHost>();
        host.OnCrashed = crashed.Add;
        host.ArmDecisionLogCrash(SafetyCrashPoint.AfterDurable);
        _starts[0].Scope.Schedule(TimeSpan.Zero, TraceKind.Script, 0,
            () => _starts[0].DecisionLog.Append(1, 1, Decision.Accept, new byte[] { 1 }));

        Assert.Equal(SimulationStop.Idle, _scheduler.Run(TimeSpan.FromSeconds(5)));

        Assert.Equal([host], crashed);
        Assert.Equal(1, host.DecisionLog.RecordCount);
    }
}
