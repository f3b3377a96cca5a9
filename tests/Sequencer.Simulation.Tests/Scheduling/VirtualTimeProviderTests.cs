using Sequencer.Simulation.Scheduling;

namespace Sequencer.Simulation.Tests.Scheduling;

public sealed class VirtualTimeProviderTests
{
    private readonly SimulationScheduler _scheduler = new();
    private readonly ProcessScope _scope;

    public VirtualTimeProviderTests() => _scope = new ProcessScope(_scheduler, 0, 0, "node");

    [Fact]
    public void TheClockIsTheSchedulersVirtualTime()
    {
        var seen = new List<(DateTimeOffset Now, TimeSpan Elapsed)>();
        var start = _scope.Time.GetTimestamp();
        _scope.Schedule(TimeSpan.FromMilliseconds(2500), TraceKind.Script, 0,
            () => seen.Add((_scope.Time.GetUtcNow(), _scope.Time.GetElapsedTime(start))));

        _scheduler.Run(TimeSpan.FromHours(1));

        Assert.Equal((SimulationScheduler.DefaultEpoch.AddMilliseconds(2500), TimeSpan.FromMilliseconds(2500)), seen.Single());
    }

    [Fact]
    public void ATimerFiresAsAnEventOfItsProcessAtItsDueTimeAndThenEveryPeriod()
    {
        var fired = new List<(TimeSpan, ProcessScope?)>();
        ITimer? timer = null;
        _scope.Schedule(TimeSpan.Zero, TraceKind.Script, 0, () =>
            timer = _scope.Time.CreateTimer(_ => fired.Add((_scheduler.Now, _scheduler.CurrentScope)), null,
                TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)));

        _scheduler.Run(TimeSpan.FromSeconds(6));
        timer!.Dispose();
        _scheduler.Run(TimeSpan.FromSeconds(20));

        Assert.Equal([1, 3, 5], fired.Select(f => f.Item1.TotalSeconds));
        Assert.All(fired, f => Assert.Same(_scope, f.Item2));
    }

    [Fact]
    public void ChangeReplacesThePendingExpiryAndDisposeCancelsIt()
    {
        var fired = new List<double>();
        var timer = _scope.Time.CreateTimer(_ => fired.Add(_scheduler.Now.TotalSeconds), null,
            TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        _scope.Schedule(TimeSpan.FromSeconds(1), TraceKind.Script, 0, () => timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        var other = _scope.Time.CreateTimer(_ => fired.Add(-1), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        _scope.Schedule(TimeSpan.FromSeconds(2.5), TraceKind.Script, 0, other.Dispose);

        _scheduler.Run(TimeSpan.FromSeconds(20));

        Assert.Equal([2.0], fired);
        Assert.False(other.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
    }

    [Fact]
    public void AZeroDueTimeFiresAsALaterEventNotInline()
    {
        var fired = false;
        using var timer = _scope.Time.CreateTimer(_ => fired = true, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.False(fired);
        _scheduler.Run(TimeSpan.Zero);
        Assert.True(fired);
    }

    [Fact]
    public void TimersOfATerminatedProcessNeverFire()
    {
        var fired = false;
        using var timer = _scope.Time.CreateTimer(_ => fired = true, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        _scope.Terminate();
        _scheduler.Run(TimeSpan.FromSeconds(5));
        Assert.False(fired);
    }

    [Fact]
    public void TaskDelayCompletesAtTheVirtualInstantAndItsContinuationRunsOnTheProcessLoop()
    {
        var resumed = new List<(TimeSpan, ProcessScope?)>();
        _scope.Schedule(TimeSpan.FromSeconds(1), TraceKind.Script, 0, () => _ = WaitTwice());

        _scheduler.Run(TimeSpan.FromMinutes(1));

        Assert.Equal([TimeSpan.FromMilliseconds(1300), TimeSpan.FromMilliseconds(1800)], resumed.Select(r => r.Item1));
        Assert.All(resumed, r => Assert.Same(_scope, r.Item2));

        async Task WaitTwice()
        {
            await Task.Delay(TimeSpan.FromMilliseconds(300), _scope.Time);
            resumed.Add((_scheduler.Now, _scheduler.CurrentScope));
            await Task.Delay(TimeSpan.FromMilliseconds(500), _scope.Time);
            resumed.Add((_scheduler.Now, _scheduler.CurrentScope));
        }
    }

    [Fact]
    public void ACancellationTokenSourceWithTheVirtualClockCancelsAtTheVirtualInstant()
    {
        TimeSpan? cancelledAt = null;
        _scope.Schedule(TimeSpan.Zero, TraceKind.Script, 0, () =>
        {
            var source = new CancellationTokenSource(TimeSpan.FromSeconds(7), _scope.Time);
            source.Token.Register(() => cancelledAt = _scheduler.Now);
        });

        _scheduler.Run(TimeSpan.FromMinutes(1));

        Assert.Equal(TimeSpan.FromSeconds(7), cancelledAt);
    }
}
