using System.Collections.Immutable;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Consensus.Topics;

/// <summary>
/// Who may speak on a round's topics, and for which round (DESIGN §3 step 3): the sequencer and the committee, only
/// this round, only this directory. Immutable, so the topic validators read it from network threads without locks.
/// </summary>
/// <param name="Round">The only round whose messages the topics carry.</param>
/// <param name="DirectoryHash">The only directory they may bind.</param>
/// <param name="SequencerIndex">The round's sequencer: the only author of its proposal.</param>
/// <param name="Members">
/// The committee members (directory indices) who may attest and sync votes. A buddy that subscribes before the proposal
/// tells it the final committee admits every drawn candidate, then narrows to the members once it knows them.
/// </param>
internal sealed record RoundAdmission(RoundId Round, Hash32 DirectoryHash, int SequencerIndex, ImmutableArray<int> Members)
{
    public bool IsMember(int validatorIndex) => validatorIndex >= 0 && Members.Contains(validatorIndex);

    public bool IsMemberOrSequencer(int validatorIndex) => validatorIndex == SequencerIndex || IsMember(validatorIndex);
}
