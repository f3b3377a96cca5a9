namespace Sequencer.Simulation.Network;

/// <summary>How long a message spends on a link, drawn from the network's seeded <see cref="Random"/>.</summary>
public abstract record DelayDistribution
{
    public abstract TimeSpan Sample(Random random);

    public static DelayDistribution Constant(TimeSpan delay) => new ConstantDelay(delay);

    public static DelayDistribution Uniform(TimeSpan min, TimeSpan max) => new UniformDelay(min, max);

    /// <summary>
    /// <paramref name="min"/> plus an exponential tail of mean <paramref name="mean"/>, capped at
    /// <paramref name="max"/>: most messages are quick, a few are very late (and so arrive out of order).
    /// </summary>
    public static DelayDistribution LongTail(TimeSpan min, TimeSpan mean, TimeSpan max) => new LongTailDelay(min, mean, max);

    private sealed record ConstantDelay(TimeSpan Delay) : DelayDistribution
    {
        public override TimeSpan Sample(Random random) => Delay;
    }

    private sealed record UniformDelay(TimeSpan Min, TimeSpan Max) : DelayDistribution
    {
        public override TimeSpan Sample(Random random) => TimeSpan.FromTicks(random.NextInt64(Min.Ticks, Max.Ticks + 1));
    }

    private sealed record LongTailDelay(TimeSpan Min, TimeSpan Mean, TimeSpan Max) : DelayDistribution
    {
        public override TimeSpan Sample(Random random)
        {
            var tail = -Math.Log(1.0 - random.NextDouble()) * Mean.Ticks;
            return TimeSpan.FromTicks(Math.Min(Max.Ticks, Min.Ticks + (long)tail));
        }
    }
}
