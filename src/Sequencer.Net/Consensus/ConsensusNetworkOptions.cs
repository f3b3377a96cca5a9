namespace Sequencer.Net.Consensus;

/// <summary>Settings of a <see cref="Libp2pConsensusNetwork"/>: how long an unanswered inbound request is kept, and how connections to the validators are kept.</summary>
public sealed record ConsensusNetworkOptions
{
    public static ConsensusNetworkOptions Default { get; } = new();

    /// <summary>
    /// How long an inbound request waits for the engine's answer before it is forgotten; match the host's
    /// <c>RequestOptions.InboundTimeout</c>, after which the stream layer has reset it anyway.
    /// </summary>
    public TimeSpan InboundRequestLifetime { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Dials to validators in progress at once (a node starting in a large directory must not open hundreds at a time).</summary>
    public int MaxParallelDials { get; init; } = 8;

    /// <summary>The first wait before redialling a validator that could not be reached; it doubles per failure.</summary>
    public TimeSpan MinRedialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>The longest wait between redials of an unreachable validator.</summary>
    public TimeSpan MaxRedialDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Which validators (by directory index) this node keeps a connection to; null: every one. Requests reach any
    /// validator regardless (they connect on demand): this only decides who is dialled ahead and redialled.
    /// </summary>
    public Func<int, bool>? KeepConnectedTo { get; init; }

    /// <summary>
    /// A connection to a validator outside <see cref="KeepConnectedTo"/>, opened for requests, is closed once no request
    /// has gone to that validator for this long; null: such connections stay open. A voter-only node votes through a
    /// different committee member every round, so without this it ends up connected to every buddy — which a thousand
    /// voters in one process cannot afford in file descriptors and memory.
    /// </summary>
    public TimeSpan? CloseUnkeptAfter { get; init; }

    internal void Validate()
    {
        RequirePositive(InboundRequestLifetime, nameof(InboundRequestLifetime));
        RequirePositive(MinRedialDelay, nameof(MinRedialDelay));
        RequirePositive(MaxRedialDelay, nameof(MaxRedialDelay));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxParallelDials);
        if (CloseUnkeptAfter is { } closeAfter)
            RequirePositive(closeAfter, nameof(CloseUnkeptAfter));
        if (MaxRedialDelay < MinRedialDelay)
            throw new ArgumentOutOfRangeException(nameof(MaxRedialDelay), MaxRedialDelay, $"must be at least MinRedialDelay ({MinRedialDelay})");
    }

    private static void RequirePositive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(name, value, "must be positive");
    }
}
