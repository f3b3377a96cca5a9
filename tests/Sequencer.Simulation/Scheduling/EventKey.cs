namespace Sequencer.Simulation.Scheduling;

/// <summary>
/// The total order of the simulation's one event queue: virtual time first, then the order in which events were
/// scheduled. Two events at the same instant therefore run in program order, which is what makes a run a pure function
/// of its scenario and seed.
/// </summary>
internal readonly record struct EventKey(long Ticks, long Sequence) : IComparable<EventKey>
{
    public int CompareTo(EventKey other)
    {
        var byTime = Ticks.CompareTo(other.Ticks);
        return byTime != 0 ? byTime : Sequence.CompareTo(other.Sequence);
    }
}
