using System.CommandLine;
using System.Reflection;
using System.Runtime.InteropServices;
using Sequencer.Core.Crypto;
using Sequencer.Host.Cli;

namespace Sequencer.Host.Commands;

/// <summary><c>sequencer version</c>: the binary's version and the native libraries linked into it.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the version of the binary and of its cryptographic libraries");
        CommandRunner.SetAction(command, _ =>
        {
            var version = typeof(VersionCommand).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            JsonOutput.WriteObject(json =>
            {
                json.WriteString("version", version);
                json.WriteString("runtime", RuntimeInformation.FrameworkDescription);
                json.WriteString("libsodium", Sodium.Version);
            });
            return CommandRunner.Success;
        });
        return command;
    }
}
