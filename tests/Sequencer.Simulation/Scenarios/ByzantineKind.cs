using Sequencer.Simulation.Byzantine;

namespace Sequencer.Simulation.Scenarios;

/// <summary>The Byzantine node variants a scenario can place (ENGINE §6); Twins and double proposals are scenario options.</summary>
public enum ByzantineKind
{
    EquivocatingVoter,
    EquivocatingBuddy,
    SignatureForger,
    VoteReplayer,
    GarbageSender,

    /// <summary>Placed as the sequencer of every height.</summary>
    TwoFacedSequencer,
}

public static class ByzantineKinds
{
    public static ByzantineBehaviour Create(this ByzantineKind kind) => kind switch
    {
        ByzantineKind.EquivocatingVoter => new EquivocatingVoter(),
        ByzantineKind.EquivocatingBuddy => new EquivocatingBuddy(),
        ByzantineKind.SignatureForger => new SignatureForger(),
        ByzantineKind.VoteReplayer => new VoteReplayer(),
        ByzantineKind.GarbageSender => new GarbageSender(),
        ByzantineKind.TwoFacedSequencer => new TwoFacedSequencer(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a Byzantine kind"),
    };
}
