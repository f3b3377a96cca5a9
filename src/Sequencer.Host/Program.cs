using System.CommandLine;
using Sequencer.Host.Commands;

var root = new RootCommand("sequencer: the JMZK validator's consensus-orchestration engine");
root.Subcommands.Add(VersionCommand.Create());

return root.Parse(args).Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
