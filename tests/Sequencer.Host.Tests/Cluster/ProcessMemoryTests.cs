using Sequencer.Host.Cluster;

namespace Sequencer.Host.Tests.Cluster;

public sealed class ProcessMemoryTests
{
    [Fact]
    public void ThisProcessHasResidentMemoryNotAboveItsPeak()
    {
        if (!OperatingSystem.IsLinux())
            return; // /proc is Linux's; elsewhere TryRead says false, tested below.
        Assert.True(ProcessMemory.TryReadSelf(out var self));
        Assert.True(self.ResidentBytes > 0);
        Assert.True(self.ResidentBytes <= self.PeakResidentBytes);
        Assert.True(ProcessMemory.TryRead(Environment.ProcessId, out var byPid));
        Assert.True(byPid.PeakResidentBytes > 0);
    }

    [Fact]
    public void AProcessThatDoesNotExistHasNoFigures() =>
        Assert.False(ProcessMemory.TryRead(int.MaxValue, out _));
}
