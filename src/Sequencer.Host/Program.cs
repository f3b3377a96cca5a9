using System.CommandLine;
using Sequencer.Host.Commands;

var root = new RootCommand("sequencer: the JMZK validator's consensus-orchestration engine");
root.Subcommands.Add(VersionCommand.Create());
root.Subcommands.Add(DemoCommand.Create());
root.Subcommands.Add(VrfCommand.Create());
root.Subcommands.Add(KeysCommand.Create());
root.Subcommands.Add(CommitteeCommand.Create());
root.Subcommands.Add(InitCommand.Create());
root.Subcommands.Add(P2pCommand.Create());
root.Subcommands.Add(StartCommand.Create());
root.Subcommands.Add(ClusterCommand.Create());

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    // Usage errors go to stderr only, so a script reading stdout never mistakes help text for a result.
    foreach (var error in parsed.Errors)
        Console.Error.WriteLine($"error: {error.Message}");
    Console.Error.WriteLine("Run 'sequencer --help' for usage.");
    return 2;
}
return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
