using System.ComponentModel;

namespace Sequencer.Host.Tests.Namespaces;

/// <summary>iproute2's <c>ip</c>, run to completion; a failure throws with what it said.</summary>
internal static class IpCommand
{
    /// <exception cref="InvalidOperationException"><c>ip</c> exited non-zero.</exception>
    /// <exception cref="Win32Exception"><c>ip</c> is not installed.</exception>
    public static void Run(params string[] arguments)
    {
        var result = TryRun(arguments);
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.StandardError.Trim()}");
    }

    public static ProcessResult TryRun(params string[] arguments) => ProcessResult.Run("ip", arguments, TimeSpan.FromSeconds(30));
}
