namespace Sequencer.Core.Crdt;

/// <summary>Which decisions of one voter a <see cref="VoteSet"/> holds verified. Both at once is equivocation evidence.</summary>
[Flags]
public enum VoterDecisions : byte
{
    None = 0,
    Accept = 1,
    Reject = 2,
    Equivocated = Accept | Reject,
}
