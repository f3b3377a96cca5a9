namespace Sequencer.Core.Ports;

/// <summary>
/// The single thread of control a node's state machines run on (ENGINE design §1). Timer callbacks, block-validation
/// completions and vote-pipeline results arrive on other threads in production; they post their continuation here.
/// The simulation implements it with its global event queue (virtual time, then insertion order), which is what makes
/// a schedule replay exactly from its seed.
/// </summary>
public interface INodeLoop
{
    /// <summary>Runs <paramref name="work"/> on the node's loop after everything already posted. Never runs it inline.</summary>
    void Post(Action work);
}
