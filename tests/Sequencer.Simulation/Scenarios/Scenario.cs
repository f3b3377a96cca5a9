using System.Text;
using Sequencer.Core.Consensus;

namespace Sequencer.Simulation.Scenarios;

/// <summary>
/// A family of schedules: the network's shape and the faults to inject, with every concrete choice — keys, weights,
/// which validator is Byzantine, who sequences which height, crash times, each message's fate — left to the seed.
/// <see cref="SimulationRun.Execute"/> turns (scenario, seed) into one deterministic run.
/// </summary>
public sealed record Scenario
{
    public required string Name { get; init; }

    public int Validators { get; init; } = 7;

    /// <summary>Weights drawn from 1 … 10 instead of all 1.</summary>
    public bool RandomWeights { get; init; }

    public int MainPeers { get; init; } = 4;

    public int BackupPeers { get; init; } = 2;

    /// <summary>Heights (rounds) to run, one after the other unless <see cref="ConcurrentHeights"/>.</summary>
    public int Heights { get; init; } = 2;

    /// <summary>Start every height within the first 200 ms, so rounds of several heights run at once.</summary>
    public bool ConcurrentHeights { get; init; }

    public NetworkProfile Network { get; init; } = NetworkProfile.Healthy;

    /// <summary>Honest hosts crashed at random times, each restarted over its durable state after a while.</summary>
    public int ScriptedCrashes { get; init; }

    /// <summary>Honest hosts made to die inside their next durable write (before or after the durable point), then restarted.</summary>
    public int InjectedCrashes { get; init; }

    /// <summary>Whether crashes may strike sequencers too (then their rounds need not decide).</summary>
    public bool CrashSequencers { get; init; }

    /// <summary>One distinct validator per entry runs that Byzantine variant.</summary>
    public IReadOnlyList<ByzantineKind> Byzantine { get; init; } = [];

    /// <summary>
    /// The Byzantine validators share the largest weight the protocol tolerates (just under W/3), the harshest case
    /// for every weight threshold.
    /// </summary>
    public bool HeaviestByzantine { get; init; }

    /// <summary>Validators run twice: two hosts with one key, one store each; the second judges blocks the other way.</summary>
    public int Twins { get; init; }

    /// <summary>A (Byzantine) sequencer starts two rounds with different blocks at every height.</summary>
    public bool DoubleProposals { get; init; }

    /// <summary>The second proposal of a double proposal starts up to this long after the first.</summary>
    public TimeSpan AlternativeDelay { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>The second block of a double proposal (or a twin's) is invalid: honest voters that see it first reject it.</summary>
    public bool InvalidAlternatives { get; init; }

    /// <summary>Honest validators whose block validator rejects every block.</summary>
    public int RejectingVoters { get; init; }

    /// <summary>Each height's block is invalid (every honest validator rejects it) with this probability.</summary>
    public double InvalidBlockProbability { get; init; }

    public TimeSpan ConsensusTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public ConsensusOptions Options => ConsensusOptions.Default with
    {
        MaxMainPeers = MainPeers,
        MaxBackupPeers = BackupPeers,
        ConsensusTimeout = ConsensusTimeout,
    };

    public override string ToString()
    {
        var text = new StringBuilder($"{Name}: {Validators} validators{(RandomWeights ? " (weights 1…10)" : "")}, ");
        text.Append($"committee {MainPeers}+{BackupPeers}, {Heights} heights{(ConcurrentHeights ? " at once" : "")}, network {Network}");
        if (ScriptedCrashes > 0)
            text.Append($", {ScriptedCrashes} crashes");
        if (InjectedCrashes > 0)
            text.Append($", {InjectedCrashes} crashes inside durable writes");
        if (CrashSequencers)
            text.Append(" (sequencers too)");
        if (Byzantine.Count > 0)
            text.Append($", Byzantine{(HeaviestByzantine ? " (just under W/3)" : "")}: {string.Join(", ", Byzantine)}");
        if (Twins > 0)
            text.Append($", {Twins} twins");
        if (DoubleProposals)
            text.Append($", double proposals (second within {AlternativeDelay.TotalMilliseconds:0} ms{(InvalidAlternatives ? ", invalid" : "")})");
        if (RejectingVoters > 0)
            text.Append($", {RejectingVoters} rejecting voters");
        if (InvalidBlockProbability > 0)
            text.Append($", invalid blocks p={InvalidBlockProbability}");
        return text.ToString();
    }
}
