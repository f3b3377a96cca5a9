using Sequencer.Core.Ports;

namespace Sequencer.Core.Consensus.Topics;

/// <summary>
/// The admission rule of one round's two topics, shared by their validators. The loop replaces it (a buddy narrowing
/// from the drawn candidates to the committee); validators on network threads read whichever instance is current. Each
/// instance is immutable, so a validator never sees a half-updated rule.
/// </summary>
internal sealed class RoundGate
{
    private RoundAdmission _admission;

    public RoundGate(RoundAdmission admission)
    {
        _admission = admission;
        Consensus = new ConsensusTopicValidator(this);
        CrdtSync = new CrdtTopicValidator(this);
    }

    public RoundAdmission Admission
    {
        get => Volatile.Read(ref _admission);
        set => Volatile.Write(ref _admission, value);
    }

    public ITopicValidator Consensus { get; }

    public ITopicValidator CrdtSync { get; }
}
