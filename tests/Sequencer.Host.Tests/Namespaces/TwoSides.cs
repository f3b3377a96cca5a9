using System.Runtime.InteropServices;
using Sequencer.Host.Tests.Node;

namespace Sequencer.Host.Tests.Namespaces;

/// <summary>
/// Where a test's two groups of nodes live and how the path between them is cut and restored. With network namespaces
/// (<see cref="NetworkNamespaces.UnavailableReason"/> null) each group has its own network stack joined by a veth link
/// that is cut by taking it down; without them both groups share the loopback stack on two addresses, and the cut
/// freezes side B's processes (SIGSTOP) until the restore (SIGCONT): nothing side A sends is answered meanwhile, but
/// side B cannot act on its own either.
/// </summary>
internal abstract class TwoSides : IDisposable
{
    /// <summary>Namespaces where the machine allows them, otherwise the loopback fallback.</summary>
    public static TwoSides Create() =>
        NetworkNamespaces.UnavailableReason is { } reason ? new FrozenLoopbackSides(reason) : new NamespaceSides(NamespacePair.Create());

    /// <summary>Which mode this is (and, for the fallback, why), for the test's output.</summary>
    public abstract string Description { get; }

    public abstract string AddressOf(bool sideA);

    /// <summary>The command line that runs a node of the side (empty: run the binary directly).</summary>
    public abstract IReadOnlyList<string> LauncherOf(bool sideA);

    /// <summary>Whether side B's nodes keep running (and so can propose) while the path is cut.</summary>
    public abstract bool SideBRunsWhileCut { get; }

    /// <summary>Bytes side A has sent over the link between the sides so far; null where there is no such link to count.</summary>
    public abstract long? BytesSentByA();

    public abstract void Cut(IReadOnlyList<ControlledNode> sideB);

    public abstract void Restore();

    public abstract void Dispose();

    private sealed class NamespaceSides(NamespacePair pair) : TwoSides
    {
        public override string Description =>
            $"network namespaces {pair.A.Namespace} and {pair.B.Namespace} joined by a veth link, partition by taking the link down";

        public override string AddressOf(bool sideA) => (sideA ? pair.A : pair.B).Address;

        public override IReadOnlyList<string> LauncherOf(bool sideA) => (sideA ? pair.A : pair.B).Launcher;

        public override bool SideBRunsWhileCut => true;

        public override long? BytesSentByA() => pair.BytesSentByA();

        public override void Cut(IReadOnlyList<ControlledNode> sideB) => pair.Cut();

        public override void Restore() => pair.Restore();

        public override void Dispose() => pair.Dispose();
    }

    private sealed class FrozenLoopbackSides(string reason) : TwoSides
    {
        // Linux's numbers (the same on x86-64 and arm64); this fallback runs the Linux binary.
        private const int SignalContinue = 18;
        private const int SignalStop = 19;

        private readonly List<int> _frozen = [];

        public override string Description =>
            $"network namespaces not available ({reason}): two loopback addresses, partition by SIGSTOP";

        // All of 127/8 is loopback on Linux: two addresses, one stack.
        public override string AddressOf(bool sideA) => sideA ? "127.0.0.1" : "127.0.0.2";

        public override IReadOnlyList<string> LauncherOf(bool sideA) => [];

        public override bool SideBRunsWhileCut => false;

        public override long? BytesSentByA() => null;

        public override void Cut(IReadOnlyList<ControlledNode> sideB)
        {
            foreach (var node in sideB)
            {
                Signal(node.ProcessId, SignalStop);
                lock (_frozen)
                    _frozen.Add(node.ProcessId);
            }
        }

        public override void Restore()
        {
            lock (_frozen)
            {
                foreach (var pid in _frozen)
                    Signal(pid, SignalContinue);
                _frozen.Clear();
            }
        }

        /// <summary>Never leaves a process stopped (a stopped process would not act on the SIGTERM that ends it).</summary>
        public override void Dispose()
        {
            lock (_frozen)
            {
                foreach (var pid in _frozen)
                    _ = kill(pid, SignalContinue);
                _frozen.Clear();
            }
        }

        private static void Signal(int pid, int signal)
        {
            if (kill(pid, signal) != 0)
                throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        [DllImport("libc", SetLastError = true)]
        private static extern int kill(int pid, int signal);
    }
}
