namespace Sequencer.Host.Tests.Namespaces;

/// <param name="Namespace">The network namespace's name (as <c>ip netns</c> knows it).</param>
/// <param name="Interface">This side's end of the veth pair.</param>
/// <param name="Address">This side's IPv4 address on the link.</param>
internal sealed record NamespaceSide(string Namespace, string Interface, string Address)
{
    /// <summary>The command line that runs a program inside this namespace (the program and its arguments follow).</summary>
    public IReadOnlyList<string> Launcher => ["ip", "netns", "exec", Namespace];
}
