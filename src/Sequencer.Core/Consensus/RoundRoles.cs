namespace Sequencer.Core.Consensus;

/// <summary>What this node is in one round. Every node may be all three at once (a sequencer votes on its own block; a buddy votes too).</summary>
[Flags]
public enum RoundRoles
{
    None = 0,
    Sequencer = 1,
    Buddy = 2,
    Voter = 4,
}
