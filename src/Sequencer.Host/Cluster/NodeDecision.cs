namespace Sequencer.Host.Cluster;

/// <summary>What a node answers about one height (the <c>decision</c> event's <c>state</c>).</summary>
internal enum NodeDecision
{
    /// <summary>Its decision log holds an accept certificate for the height.</summary>
    Accepted,

    /// <summary>Its decision log holds a reject certificate for the height.</summary>
    Rejected,

    /// <summary>It took part in a round at the height whose deadline passed without a certificate.</summary>
    TimedOut,

    /// <summary>A round at the height is still live.</summary>
    Pending,

    /// <summary>It never heard of a round at the height.</summary>
    Unknown,
}
