using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Safety;
using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Tests.Scheduling;

public sealed class SimulationSchedulerTests
{
    [Property(MaxTest = 200)]
    public Property EventsRunInOrderOfTimeThenOfScheduling() =>
        Prop.ForAll(Gen.Choose(0, 20).ListOf().ToArbitrary(), delays =>
        {
            var scheduler = new SimulationScheduler();
            var ran = new List<(long Ticks, int Order)>();
            for (var i = 0; i < delays.Count; i++)
            {
                var order = i;
                scheduler.Schedule(TimeSpan.FromMilliseconds(delays[i]), null, TraceKind.Script, 0,
                    () => ran.Add((scheduler.Now.Ticks, order)));
            }
            var stop = scheduler.Run(TimeSpan.FromHours(1));

            var expected = delays.Select((d, i) => (TimeSpan.FromMilliseconds(d).Ticks, i)).OrderBy(e => e.Item1).ThenBy(e => e.i);
            return stop == SimulationStop.Idle && ran.SequenceEqual(expected);
        });

    [Fact]
    public void WorkPostedDuringAnEventRunsAfterWhatWasAlreadyDueAtThatInstant()
    {
        var scheduler = new SimulationScheduler();
        var scope = new ProcessScope(scheduler, 0, 0, "node");
        var ran = new List<string>();
        scheduler.Schedule(TimeSpan.FromSeconds(1), scope, TraceKind.Script, 0, () =>
        {
            ran.Add("first");
            scope.Loop.Post(() => ran.Add("posted"));
        });
        scheduler.Schedule(TimeSpan.FromSeconds(1), scope, TraceKind.Script, 0, () => ran.Add("second"));

        scheduler.Run(TimeSpan.FromSeconds(10));

        Assert.Equal(["first", "second", "posted"], ran);
        Assert.Equal(TimeSpan.FromSeconds(1), scheduler.Now);
    }

    [Fact]
    public void APostNeverRunsInline()
    {
        var scheduler = new SimulationScheduler();
        var scope = new ProcessScope(scheduler, 0, 0, "node");
        var ran = false;
        scope.Loop.Post(() => ran = true);
        Assert.False(ran);
        scheduler.Run(TimeSpan.Zero);
        Assert.True(ran);
    }

    [Fact]
    public void TheHorizonStopsBeforeLaterEventsAndMovesTheClockToIt()
    {
        var scheduler = new SimulationScheduler();
        var ran = 0;
        scheduler.Schedule(TimeSpan.FromSeconds(1), null, TraceKind.Script, 0, () => ran++);
        scheduler.Schedule(TimeSpan.FromSeconds(5), null, TraceKind.Script, 0, () => ran++);

        Assert.Equal(SimulationStop.Horizon, scheduler.Run(TimeSpan.FromSeconds(3)));
        Assert.Equal(1, ran);
        Assert.Equal(TimeSpan.FromSeconds(3), scheduler.Now);
        Assert.Equal(SimulationStop.Idle, scheduler.Run(TimeSpan.FromSeconds(10)));
        Assert.Equal(2, ran);
        Assert.Equal(TimeSpan.FromSeconds(5), scheduler.Now);
    }

    [Fact]
    public void AConditionAndAnEventBudgetStopTheRun()
    {
        var scheduler = new SimulationScheduler();
        var count = 0;
        for (var i = 0; i < 10; i++)
            scheduler.Schedule(TimeSpan.FromMilliseconds(i), null, TraceKind.Script, 0, () => count++);

        Assert.Equal(SimulationStop.Condition, scheduler.Run(TimeSpan.MaxValue, () => count == 3));
        Assert.Equal(3, count);
        Assert.Equal(SimulationStop.EventLimit, scheduler.Run(TimeSpan.MaxValue, maxEvents: 4));
        Assert.Equal(7, count);
    }

    [Fact]
    public void ATerminatedProcessRunsNothingMore()
    {
        var scheduler = new SimulationScheduler();
        var scope = new ProcessScope(scheduler, 0, 0, "node");
        var ran = new List<int>();
        scope.Schedule(TimeSpan.FromSeconds(1), TraceKind.Script, 0, () => ran.Add(1));
        scope.Schedule(TimeSpan.FromSeconds(2), TraceKind.Script, 0, () => ran.Add(2));
        scheduler.Schedule(TimeSpan.FromSeconds(1.5), null, TraceKind.Script, 0, scope.Terminate);

        scheduler.Run(TimeSpan.FromSeconds(10));

        Assert.Equal([1], ran);
    }

    [Fact]
    public void AnInjectedCrashTerminatesTheProcessAndIsReportedToIt()
    {
        var scheduler = new SimulationScheduler();
        var scope = new ProcessScope(scheduler, 3, 0, "node3");
        Exception? reported = null;
        scope.OnInjectedCrash = e => reported = e;
        var after = false;
        scope.Schedule(TimeSpan.FromSeconds(1), TraceKind.Script, 0,
            () => throw new SimulatedCrashException(SafetyCrashPoint.AfterDurable));
        scope.Schedule(TimeSpan.FromSeconds(2), TraceKind.Script, 0, () => after = true);

        Assert.Equal(SimulationStop.Idle, scheduler.Run(TimeSpan.FromSeconds(10)));

        Assert.False(scope.IsAlive);
        Assert.IsType<SimulatedCrashException>(reported);
        Assert.False(after);
    }

    [Fact]
    public void AnyOtherExceptionFailsTheRunWithTimeAndProcess()
    {
        var scheduler = new SimulationScheduler();
        var scope = new ProcessScope(scheduler, 2, 1, "node2");
        scope.Schedule(TimeSpan.FromMilliseconds(1500), TraceKind.Script, 0, () => throw new InvalidOperationException("boom"));

        var failure = Assert.Throws<SimulationFailureException>(() => scheduler.Run(TimeSpan.FromSeconds(10)));

        Assert.Equal(TimeSpan.FromMilliseconds(1500), failure.Time);
        Assert.Equal("node2#1", failure.Process);
        Assert.Contains("boom", failure.Message);
    }

    [Fact]
    public void SchedulingInThePastIsRefused()
    {
        var scheduler = new SimulationScheduler();
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            scheduler.Schedule(TimeSpan.FromTicks(-1), null, TraceKind.Script, 0, () => { }));
    }

    [Property(MaxTest = 100)]
    public Property TheTraceHashIsAFunctionOfWhatRanAndWhen() =>
        Prop.ForAll(Gen.Choose(0, 50).ListOf().ToArbitrary(), Gen.Choose(0, 1000).ToArbitrary(), (delays, extra) =>
        {
            ulong Run(IEnumerable<int> schedule)
            {
                var scheduler = new SimulationScheduler();
                foreach (var delay in schedule)
                    scheduler.Schedule(TimeSpan.FromMilliseconds(delay), null, TraceKind.Script, (ulong)delay, () => { });
                scheduler.Run(TimeSpan.FromHours(1));
                return scheduler.TraceHash;
            }
            var same = Run(delays) == Run(delays);
            var longer = Run(delays) != Run(delays.Append(extra));
            return same && longer;
        });
}
