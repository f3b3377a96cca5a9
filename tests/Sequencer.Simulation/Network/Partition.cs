namespace Sequencer.Simulation.Network;

/// <summary>
/// From <see cref="Start"/> until it heals at <see cref="End"/> (virtual time), hosts in different groups cannot
/// reach each other: each listed group is cut off from every host outside it, and the hosts listed in no group form
/// one more group together. A message is lost if its link is cut when it is sent or when it would arrive.
/// </summary>
public sealed record Partition(TimeSpan Start, TimeSpan End, IReadOnlyList<IReadOnlySet<int>> Groups)
{
    public bool IsActive(TimeSpan now) => now >= Start && now < End;

    public bool Separates(int fromHost, int toHost) => GroupOf(fromHost) != GroupOf(toHost);

    private int GroupOf(int host)
    {
        for (var i = 0; i < Groups.Count; i++)
        {
            if (Groups[i].Contains(host))
                return i;
        }
        return -1;
    }

    public override string ToString() =>
        $"partition {Start.TotalMilliseconds:0}–{End.TotalMilliseconds:0} ms: "
        + string.Join(" | ", Groups.Select(g => "{" + string.Join(",", g.Order()) + "}"));
}
