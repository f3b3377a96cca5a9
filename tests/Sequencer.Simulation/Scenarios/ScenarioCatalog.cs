namespace Sequencer.Simulation.Scenarios;

/// <summary>
/// The named scenarios of the simulation suite, each with how many seeded schedules the suite runs of it. Sized so the
/// whole suite (≥ 2,000 schedules, dozens of nodes in all) stays within a few minutes on two cores.
/// </summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<(Scenario Scenario, int Schedules)> All { get; } =
    [
        (new Scenario { Name = "healthy" }, 200),
        (new Scenario { Name = "healthy-weighted", Validators = 10, RandomWeights = true, MainPeers = 6, Heights = 3 }, 150),
        (new Scenario { Name = "concurrent-heights", Validators = 9, Heights = 4, ConcurrentHeights = true }, 100),
        (new Scenario { Name = "large", Validators = 25, RandomWeights = true, MainPeers = 9, BackupPeers = 3 }, 30),
        (new Scenario { Name = "jittery", Network = NetworkProfile.Jittery }, 100),
        (new Scenario { Name = "lossy", Network = NetworkProfile.Lossy, Validators = 8 }, 200),
        (new Scenario { Name = "partitioned-then-healed", Network = NetworkProfile.PartitionedThenHealed, Validators = 8 }, 150),
        (new Scenario { Name = "bad-links", Network = NetworkProfile.BadLinks }, 100),
        (new Scenario { Name = "crashes", Validators = 9, ScriptedCrashes = 2, Heights = 3 }, 150),
        (new Scenario { Name = "crashes-inside-writes", Validators = 9, InjectedCrashes = 3, Heights = 3 }, 150),
        (new Scenario { Name = "crashing-sequencers", Validators = 8, ScriptedCrashes = 2, InjectedCrashes = 1, CrashSequencers = true, Heights = 3 }, 80),
        (new Scenario { Name = "rejections", Validators = 9, RejectingVoters = 2, InvalidBlockProbability = 0.4, Heights = 3 }, 100),
        (new Scenario { Name = "equivocating-voter", Byzantine = [ByzantineKind.EquivocatingVoter] }, 100),
        (new Scenario { Name = "equivocation-at-the-margin", Validators = 9, Byzantine = [ByzantineKind.EquivocatingVoter], RejectingVoters = 2 }, 80),
        (new Scenario { Name = "equivocating-buddy", Byzantine = [ByzantineKind.EquivocatingBuddy] }, 100),
        (new Scenario { Name = "forged-signatures", Byzantine = [ByzantineKind.SignatureForger] }, 100),
        (new Scenario { Name = "replayed-votes", Byzantine = [ByzantineKind.VoteReplayer], Heights = 3 }, 100),
        (new Scenario { Name = "garbage", Byzantine = [ByzantineKind.GarbageSender] }, 80),
        (new Scenario { Name = "two-faced-sequencer", Byzantine = [ByzantineKind.TwoFacedSequencer] }, 80),
        (new Scenario { Name = "double-proposals", DoubleProposals = true, Validators = 8 }, 80),
        (new Scenario
        {
            Name = "double-proposals-with-equivocator",
            DoubleProposals = true,
            AlternativeDelay = TimeSpan.FromMilliseconds(4),
            InvalidAlternatives = true,
            Byzantine = [ByzantineKind.EquivocatingVoter],
            HeaviestByzantine = true,
            Validators = 7,
            RandomWeights = true,
        }, 100),
        (new Scenario { Name = "double-proposals-with-crashes", DoubleProposals = true, Validators = 9, ScriptedCrashes = 3, InjectedCrashes = 2 }, 100),
        (new Scenario { Name = "twins", Twins = 1, Validators = 8, Heights = 3 }, 100),
        (new Scenario
        {
            Name = "mixed",
            Validators = 13,
            RandomWeights = true,
            MainPeers = 7,
            BackupPeers = 3,
            Heights = 3,
            Network = NetworkProfile.Lossy,
            Byzantine = [ByzantineKind.EquivocatingVoter, ByzantineKind.EquivocatingBuddy],
            ScriptedCrashes = 1,
            InjectedCrashes = 1,
        }, 150),
    ];

    public static Scenario Get(string name) =>
        All.FirstOrDefault(s => s.Scenario.Name == name).Scenario
        ?? throw new ArgumentException($"no scenario named \"{name}\"", nameof(name));
}
