using Sequencer.Core.Consensus;
using Sequencer.Core.Wire;
using Sequencer.Host.Cli;
using Sequencer.Host.Commands;
using Sequencer.Host.Configuration;

namespace Sequencer.Host.Cluster;

/// <summary>
/// What <c>sequencer cluster</c> runs: the network's size, the rounds, and the faults. <see cref="Validate"/> holds every
/// rule, so a run that could not show what it claims (a fault larger than the protocol tolerates, a round timeout the
/// engine refuses) is refused before a single process starts.
/// </summary>
internal sealed record ClusterOptions
{
    public const int DefaultNodes = 24;
    public const int DefaultRounds = 20;
    public const int MaxNodes = 128;
    public const int MaxVoters = 1000;
    public const int MaxRounds = 100_000;

    /// <summary>The clock skew the cluster's nodes allow each other (they share one clock).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(1);

    public int Nodes { get; init; } = DefaultNodes;

    public int Rounds { get; init; } = DefaultRounds;

    /// <summary>Extra voter-only validators run in-process.</summary>
    public int Voters { get; init; }

    /// <summary>Main buddies SIGKILLed in <see cref="FaultRound"/>, right after its committee is drawn.</summary>
    public int KillBuddies { get; init; }

    /// <summary>Restart the killed nodes from their durable state after the round that killed them.</summary>
    public bool Restart { get; init; }

    /// <summary>Nodes started with <c>--byzantine equivocate</c>: the last <see cref="Byzantine"/> process nodes.</summary>
    public int Byzantine { get; init; }

    /// <summary>Kill the sequencer of <see cref="SequencerKillRound"/> mid-round and check no two nodes disagree.</summary>
    public bool KillSequencer { get; init; }

    /// <summary>Every round's deadline (the engine's <c>ConsensusTimeout</c>).</summary>
    public TimeSpan RoundTimeout { get; init; } = ConsensusOptions.Default.ConsensusTimeout;

    /// <summary>Where the network is written; null: a temporary directory, removed at the end unless <see cref="Keep"/>.</summary>
    public string? Directory { get; init; }

    public bool Keep { get; init; }

    public bool Json { get; init; }

    /// <summary>The round in which <see cref="KillBuddies"/> strikes: the middle one, so rounds before show the steady state and rounds after the recovery.</summary>
    public int FaultRound => (Rounds + 1) / 2;

    /// <summary>The round whose sequencer <see cref="KillSequencer"/> kills: the one after <see cref="FaultRound"/>, or the only one.</summary>
    public int SequencerKillRound => Rounds == 1 ? 1 : FaultRound + 1;

    /// <summary>The main buddies a round draws: min(13, nodes − 1) (voter-only validators are never drawn).</summary>
    public int MainBuddies => Math.Min(WireLimits.MaxMainPeers, Nodes - 1);

    /// <summary>f: the committee members that may fail while more than 2/3 of the committee still attests.</summary>
    public int ToleratedFaults => (MainBuddies - 1) / 3;

    /// <summary>The Byzantine process nodes' indices.</summary>
    public IEnumerable<int> ByzantineNodes => Enumerable.Range(Nodes - Byzantine, Byzantine);

    /// <summary>Checks every rule; the message names the option and the bound it breaks.</summary>
    /// <exception cref="CommandFailedException">An option is out of range or the faults together break the protocol's assumptions.</exception>
    public void Validate()
    {
        if (Nodes is < 2 or > MaxNodes)
            throw new CommandFailedException($"--nodes {Nodes}: must be 2 … {MaxNodes}");
        if (Rounds is < 1 or > MaxRounds)
            throw new CommandFailedException($"--rounds {Rounds}: must be 1 … {MaxRounds}");
        if (Voters is < 0 or > MaxVoters || Nodes + Voters > InitCommand.MaxValidators)
            throw new CommandFailedException($"--voters {Voters}: must be 0 … {Math.Min(MaxVoters, InitCommand.MaxValidators - Nodes)}");
        if (RoundTimeout < TimeSpan.FromSeconds(1) || RoundTimeout > TimeSpan.FromMinutes(10))
            throw new CommandFailedException($"--round-timeout {Duration.Format(RoundTimeout)}: must be 1s … 10m");
        if (KillBuddies < 0 || KillBuddies > ToleratedFaults)
            throw new CommandFailedException(
                $"--kill-buddies {KillBuddies}: must be 0 … {ToleratedFaults} (f of a committee of {MainBuddies} main buddies from {Nodes} nodes)");
        if (Byzantine < 0 || Byzantine >= Nodes)
            throw new CommandFailedException($"--byzantine {Byzantine}: must be 0 … {Nodes - 1}");
        if (Restart && KillBuddies == 0 && !KillSequencer)
            throw new CommandFailedException("--restart brings killed nodes back: it needs --kill-buddies or --kill-sequencer");
        if (KillSequencer && KillBuddies > 0 && Rounds < 2)
            throw new CommandFailedException("--kill-buddies with --kill-sequencer needs --rounds 2 or more (they strike in different rounds)");

        // Dead committee members in later rounds: killed buddies (and a killed sequencer) stay dead without --restart.
        var staysDead = Restart ? 0 : KillBuddies + (KillSequencer ? 1 : 0);
        if (staysDead > ToleratedFaults)
            throw new CommandFailedException(
                $"{staysDead} nodes would stay dead (--kill-buddies {KillBuddies}{(KillSequencer ? " and --kill-sequencer" : "")} without --restart): "
                + $"later committees may draw them, and at most {ToleratedFaults} may fail; add --restart or kill fewer");

        // Votes: honest, live weight must stay above 2/3 of all weight (every validator weighs the same) in every round
        // that should decide, and equivocators count for neither side.
        var total = Nodes + Voters;
        var honestLive = total - Byzantine - Math.Max(KillBuddies, staysDead);
        if (3L * honestLive <= 2L * total)
            throw new CommandFailedException(
                $"--byzantine {Byzantine} with {KillBuddies} killed leaves {honestLive} of {total} validators honest and alive, "
                + "not more than 2/3: no round could decide");
        if (Byzantine > 0 && Nodes - Byzantine < 1)
            throw new CommandFailedException($"--byzantine {Byzantine}: at least one honest node must propose");
    }

    /// <summary>
    /// The engine's options for a network of this run: the round timeout, with the waits inside a round scaled down
    /// when it is short (each stays below the deadline, as <see cref="ConsensusOptions.Validate"/> requires).
    /// </summary>
    public ConsensusOptions Consensus()
    {
        var defaults = ConsensusOptions.Default;
        var timeout = RoundTimeout;
        static TimeSpan AtMost(TimeSpan value, TimeSpan bound) => value < bound ? value : bound;
        var options = defaults with
        {
            ConsensusTimeout = timeout,
            InvitationTimeout = AtMost(defaults.InvitationTimeout, timeout / 4),
            VoteRequestTimeout = AtMost(defaults.VoteRequestTimeout, timeout / 5),
            SyncRequestTimeout = AtMost(defaults.SyncRequestTimeout, timeout / 5),
            AntiEntropyInterval = AtMost(defaults.AntiEntropyInterval, timeout / 10),
            ResultPullLead = AtMost(defaults.ResultPullLead, timeout / 4),
            MinimumTimeLeftToServe = AtMost(defaults.MinimumTimeLeftToServe, timeout / 10),
            // Every node runs on this machine and reads its one clock: no skew to allow for, beyond scheduling.
            MaximumClockSkew = ClockSkew,
        };
        var error = options.Validate();
        if (error is not null)
            throw new CommandFailedException($"--round-timeout {Duration.Format(timeout)}: {error}");
        return options;
    }
}
