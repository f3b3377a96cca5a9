namespace Sequencer.Core.Consensus;

/// <summary>Which of a round's two topics a message came on.</summary>
internal enum RoundTopicKind
{
    Consensus,
    CrdtSync,
}
