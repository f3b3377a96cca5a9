using System.ComponentModel;

namespace Sequencer.Host.Tests.Namespaces;

/// <summary>
/// Whether this machine lets the tests create network namespaces joined by a veth pair, probed once per process by
/// doing exactly that (a throw-away namespace with a veth pair inside, then deleted): being root is not enough in a
/// container without CAP_SYS_ADMIN, and the capability is not enough without iproute2 or the veth driver.
/// </summary>
internal static class NetworkNamespaces
{
    private static readonly Lazy<string?> s_unavailableReason = new(Probe, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The variable that, set to 1, makes <see cref="UnavailableReason"/> report namespaces unavailable even where they
    /// work: the way to exercise the tests' fallback (loopback addresses, partition by SIGSTOP) on a machine that has them.
    /// Not named SEQUENCER_…: the nodes inherit the environment and reject any SEQUENCER_ variable that is not configuration.
    /// </summary>
    public const string DisableVariable = "SEQTEST_NO_NETNS";

    /// <summary>Null when namespaces work here; otherwise why not, for the test's report of which mode it ran.</summary>
    public static string? UnavailableReason => s_unavailableReason.Value;

    /// <summary>A name no other test run uses at the same time (namespace names are machine-wide).</summary>
    public static string UniqueSuffix() => $"{Environment.ProcessId % 10000:D4}{Random.Shared.Next(0x1000):x3}";

    private static string? Probe()
    {
        if (Environment.GetEnvironmentVariable(DisableVariable) == "1")
            return $"{DisableVariable}=1 forces the fallback";
        if (!OperatingSystem.IsLinux())
            return "network namespaces need Linux";
        var name = "seqprobe" + UniqueSuffix();
        ProcessResult added;
        try
        {
            added = IpCommand.TryRun("netns", "add", name);
        }
        catch (Win32Exception e)
        {
            return $"the 'ip' command (iproute2) cannot be run: {e.Message}";
        }
        if (added.ExitCode != 0)
            return $"'ip netns add' failed (it needs root or CAP_SYS_ADMIN): {added.StandardError.Trim()}";
        try
        {
            var veth = IpCommand.TryRun("-n", name, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1");
            return veth.ExitCode == 0 ? null : $"a veth pair cannot be created in a network namespace: {veth.StandardError.Trim()}";
        }
        finally
        {
            IpCommand.TryRun("netns", "delete", name);
        }
    }
}
