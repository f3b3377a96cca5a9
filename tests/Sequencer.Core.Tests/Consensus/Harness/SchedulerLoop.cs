using Sequencer.Core.Ports;

namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>A node's loop as the shared scheduler: posts run after everything already queued at this virtual instant.</summary>
internal sealed class SchedulerLoop(Scheduler scheduler) : INodeLoop
{
    public void Post(Action work) => scheduler.Post(work);
}
