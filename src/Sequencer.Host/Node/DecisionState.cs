using Sequencer.Core.Primitives;

namespace Sequencer.Host.Node;

/// <summary>What a node knows about one height (the control protocol's <c>decision</c> answer).</summary>
internal enum DecisionState
{
    /// <summary>Its decision log holds an Accept certificate for the height.</summary>
    Accepted,

    /// <summary>Its decision log holds a Reject certificate for the height.</summary>
    Rejected,

    /// <summary>It took part in a round at the height (any role) whose deadline passed without a certificate.</summary>
    TimedOut,

    /// <summary>It takes part in a round at the height whose deadline has not passed.</summary>
    Pending,

    /// <summary>It never heard of a round at the height.</summary>
    Unknown,
}

/// <param name="Block">The certified block, for <see cref="DecisionState.Accepted"/> and <see cref="DecisionState.Rejected"/>.</param>
internal readonly record struct DecisionAnswer(ulong Height, DecisionState State, Hash32? Block);
