namespace Sequencer.Simulation.Network;

/// <summary>What can happen to one message on a link. Every draw comes from the network's seeded <see cref="Random"/>.</summary>
public sealed record LinkFaults
{
    /// <summary>A few milliseconds of latency and nothing else.</summary>
    public static readonly LinkFaults Healthy = new();

    public DelayDistribution Latency { get; init; } =
        DelayDistribution.Uniform(TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(10));

    /// <summary>The message is lost (a request then times out at its sender).</summary>
    public double DropProbability { get; init; }

    /// <summary>The message arrives twice (each copy with its own latency).</summary>
    public double DuplicateProbability { get; init; }

    /// <summary>The message is held back by up to <see cref="ReorderDelay"/> more, so later ones overtake it.</summary>
    public double ReorderProbability { get; init; }

    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public bool IsHealthy => DropProbability == 0 && DuplicateProbability == 0 && ReorderProbability == 0;
}
