namespace Sequencer.Simulation.Checking;

/// <summary>One broken property of a run: which invariant, and the evidence.</summary>
public sealed record InvariantViolation(string Invariant, string Detail)
{
    public override string ToString() => $"{Invariant}: {Detail}";
}
