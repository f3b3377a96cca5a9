namespace Sequencer.Host.Tests.Namespaces;

/// <summary>
/// Two network namespaces joined by one veth pair, 10.201.0.1/30 on side A and 10.201.0.2/30 on side B, links and
/// loopback up in each: two separate network stacks whose only path to each other is that link, so traffic between
/// them goes through real interfaces (and stops when the link is cut). Names are unique per run, so parallel runs on
/// one machine do not collide; the addresses may repeat because each pair is its own isolated segment. Disposing
/// deletes both namespaces (which destroys the veth pair); creation that fails half-way deletes what it made.
/// </summary>
internal sealed class NamespacePair : IDisposable
{
    private const string Prefix = "10.201.0.";
    private const string PrefixLength = "/30";

    private int _disposed;

    private NamespacePair(NamespaceSide a, NamespaceSide b)
    {
        A = a;
        B = b;
    }

    public NamespaceSide A { get; }

    public NamespaceSide B { get; }

    /// <exception cref="InvalidOperationException">An <c>ip</c> command failed (nothing is left behind).</exception>
    public static NamespacePair Create()
    {
        var suffix = NetworkNamespaces.UniqueSuffix();
        var pair = new NamespacePair(
            new NamespaceSide("seqa-" + suffix, "sqa" + suffix, Prefix + "1"),
            new NamespaceSide("seqb-" + suffix, "sqb" + suffix, Prefix + "2"));
        try
        {
            IpCommand.Run("netns", "add", pair.A.Namespace);
            IpCommand.Run("netns", "add", pair.B.Namespace);
            // Both ends are created directly inside their namespaces: the root namespace never holds them.
            IpCommand.Run("link", "add", pair.A.Interface, "netns", pair.A.Namespace, "type", "veth",
                "peer", "name", pair.B.Interface, "netns", pair.B.Namespace);
            foreach (var side in (NamespaceSide[])[pair.A, pair.B])
            {
                IpCommand.Run("-n", side.Namespace, "link", "set", "lo", "up");
                IpCommand.Run("-n", side.Namespace, "address", "add", side.Address + PrefixLength, "dev", side.Interface);
                IpCommand.Run("-n", side.Namespace, "link", "set", side.Interface, "up");
            }
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    /// <summary>Takes side A's end of the link down: from now on nothing passes between the namespaces.</summary>
    public void Cut() => IpCommand.Run("-n", A.Namespace, "link", "set", A.Interface, "down");

    /// <summary>Brings side A's end back up.</summary>
    public void Restore() => IpCommand.Run("-n", A.Namespace, "link", "set", A.Interface, "up");

    /// <summary>Bytes side A's end has sent so far (from the kernel's interface counters).</summary>
    public long BytesSentByA() =>
        long.Parse(IpCommand.TryRun("netns", "exec", A.Namespace, "cat", $"/sys/class/net/{A.Interface}/statistics/tx_bytes").StandardOutput.Trim(),
            System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        // Tolerant: a namespace that was never made is simply absent. A process still inside keeps the stack alive only
        // until it exits; the name is gone at once.
        IpCommand.TryRun("netns", "delete", A.Namespace);
        IpCommand.TryRun("netns", "delete", B.Namespace);
    }
}
