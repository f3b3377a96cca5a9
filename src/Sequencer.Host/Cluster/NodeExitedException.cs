namespace Sequencer.Host.Cluster;

/// <summary>A node's process exited while the cluster waited for something from it.</summary>
internal sealed class NodeExitedException(int index, string waitingFor)
    : Exception($"node {index} exited while the cluster waited for {waitingFor}")
{
    public int Index { get; } = index;
}
