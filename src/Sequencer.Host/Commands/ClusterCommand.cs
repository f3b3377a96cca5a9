using System.CommandLine;
using System.Runtime.InteropServices;
using Sequencer.Host.Cli;
using Sequencer.Host.Cluster;
using Sequencer.Host.Configuration;

namespace Sequencer.Host.Commands;

/// <summary>
/// <c>sequencer cluster [--nodes 24] [--rounds 10] [--voters V] [--kill-buddies N] [--restart] [--byzantine N]
/// [--kill-sequencer] [--round-timeout D] [--dir DIR] [--keep] [--json]</c>: a whole network on loopback, every
/// validator its own process of this binary over the full libp2p stack, driven through rounds in turn, with faults on
/// demand; a progress line per round and a table at the end (the README explains it). With <c>--json</c> the progress
/// and table go to stderr and stdout carries one summary object. Exit 0 when every round that should decide decided
/// and no honest validator signed twice, 1 otherwise (and for refused options), 2 for options that do not parse.
/// </summary>
internal static class ClusterCommand
{
    /// <summary>After Ctrl-C or SIGTERM: how long the children get to stop before SIGKILL (the process is torn down soon after).</summary>
    private static readonly TimeSpan s_interruptedGrace = TimeSpan.FromSeconds(1.5);

    public static Command Create()
    {
        var nodes = new Option<int>("--nodes") { Description = $"Validator processes (2 … {ClusterOptions.MaxNodes})", DefaultValueFactory = _ => ClusterOptions.DefaultNodes };
        var rounds = new Option<int>("--rounds") { Description = "Rounds to drive, one height each", DefaultValueFactory = _ => ClusterOptions.DefaultRounds };
        var voters = new Option<int>("--voters") { Description = $"Extra voter-only validators run in this process over libp2p (0 … {ClusterOptions.MaxVoters}); never drawn into a committee" };
        var killBuddies = new Option<int>("--kill-buddies") { Description = "SIGKILL N main buddies of the middle round right after its committee is drawn (N ≤ f)" };
        var restart = new Option<bool>("--restart") { Description = "Restart killed nodes from their durable state after the round that killed them" };
        var byzantine = new Option<int>("--byzantine") { Description = "Run the last N nodes with --byzantine equivocate (test networks only)" };
        var killSequencer = new Option<bool>("--kill-sequencer") { Description = "SIGKILL the sequencer of the round after the middle one mid-round; check no two nodes then disagree" };
        var roundTimeout = new Option<string>("--round-timeout") { Description = "Each round's deadline, e.g. 5s, 1m (1s … 10m)", DefaultValueFactory = _ => "20s" };
        roundTimeout.Validators.Add(result =>
        {
            var text = result.GetValueOrDefault<string>();
            if (!Duration.TryParse(text, out _))
                result.AddError($"--round-timeout '{text}' is not a duration (e.g. 500ms, 5s, 1m30s)");
        });
        var directory = new Option<string?>("--dir") { Description = "Write the network here and keep it (default: a temporary directory, removed at the end)" };
        var keep = new Option<bool>("--keep") { Description = "Keep the temporary directory (keys, configs, data, node logs)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON summary object on stdout (progress and table go to stderr)" };
        var command = new Command("cluster", "Start a whole network on loopback (one process per validator), drive rounds, inject faults, report latency and safety")
        {
            nodes, rounds, voters, killBuddies, restart, byzantine, killSequencer, roundTimeout, directory, keep, json,
        };
        CommandRunner.SetAction(command, (parseResult, cancellation) =>
        {
            Duration.TryParse(parseResult.GetRequiredValue(roundTimeout), out var timeout);
            var options = new ClusterOptions
            {
                Nodes = parseResult.GetValue(nodes),
                Rounds = parseResult.GetValue(rounds),
                Voters = parseResult.GetValue(voters),
                KillBuddies = parseResult.GetValue(killBuddies),
                Restart = parseResult.GetValue(restart),
                Byzantine = parseResult.GetValue(byzantine),
                KillSequencer = parseResult.GetValue(killSequencer),
                RoundTimeout = timeout,
                Directory = parseResult.GetValue(directory),
                Keep = parseResult.GetValue(keep),
                Json = parseResult.GetValue(json),
            };
            return RunAsync(options, cancellation);
        });
        return command;
    }

    private static async Task<int> RunAsync(ClusterOptions options, CancellationToken invocationToken)
    {
        options.Validate();
        options.Consensus();
        var executable = Environment.ProcessPath ?? throw new CommandFailedException("the path of this executable is unknown, so no node can be started");

        // Ctrl-C and SIGTERM end the run, not the process: the children are stopped (and the directory removed) first.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);

        var output = options.Json ? Console.Error : Console.Out;
        var runner = new ClusterRunner(options, output, executable);
        ClusterReport report;
        try
        {
            report = await runner.RunAsync(stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            await runner.StopAllAsync(s_interruptedGrace).ConfigureAwait(false);
            throw new CommandFailedException("interrupted: every node stopped");
        }
        catch (Exception error) when (error is TimeoutException or NodeExitedException or InvalidOperationException)
        {
            var where = options.Keep || options.Directory is not null ? $" (node logs in {runner.Root})" : " (rerun with --keep to read the node logs)";
            throw new CommandFailedException($"{error.Message}{where}", error);
        }
        finally
        {
            await runner.DisposeAsync().ConfigureAwait(false);
        }

        report.WriteTable(output);
        if (options.Keep || options.Directory is not null)
            output.WriteLine($"network kept in {runner.Root}");
        if (options.Json)
            JsonOutput.WriteObject(report.WriteJson);
        return report.Ok ? CommandRunner.Success : CommandRunner.Failure;
    }
}
