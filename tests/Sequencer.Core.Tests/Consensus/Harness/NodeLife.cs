namespace Sequencer.Core.Tests.Consensus.Harness;

/// <summary>
/// One life of a simulated node: when it crashes, everything it had queued (posts, timers) and everything it would
/// still send dies with it; a restarted node gets a new life over the same durable stores.
/// </summary>
internal sealed class NodeLife
{
    public bool Alive { get; private set; } = true;

    public void End() => Alive = false;
}
