using Sequencer.Core.Ports;

namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>A node's loop as the shared scheduler: posts run after everything already queued at this virtual instant, unless the node's life ended meanwhile.</summary>
internal sealed class SchedulerLoop(Scheduler scheduler, NodeLife life) : INodeLoop
{
    public void Post(Action work) => scheduler.Post(() =>
    {
        if (life.Alive)
            work();
    });
}
