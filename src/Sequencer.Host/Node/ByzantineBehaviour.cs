namespace Sequencer.Host.Node;

/// <summary>Deliberate misbehaviour for test networks (<c>sequencer start --byzantine …</c>); never for a real validator.</summary>
internal enum ByzantineBehaviour
{
    None,

    /// <summary>Sign both an Accept and a Reject vote for every proposal heard and send them to two different buddies (<see cref="EquivocatingVoter"/>).</summary>
    Equivocate,
}
