using System.Buffers.Binary;
using Sequencer.Core.Crypto;
using Sequencer.Core.Primitives;

namespace Sequencer.Host.Cluster;

/// <summary>
/// The chain the cluster proposes: block h's hash is <c>TaggedHash("jmzk/sequencer/cluster-block/v1", h ‖ parent)</c>
/// (h big-endian u64) and its parent is block h − 1's hash (zero for h = 1). The block depends only on its height and
/// parent, so whichever node proposes a height proposes the same block, and a chain of them passes every node's
/// parent-continuity check.
/// </summary>
internal static class ClusterChain
{
    private static readonly TaggedHash s_block = new("jmzk/sequencer/cluster-block/v1");

    public static Hash32 Genesis => default;

    public static Hash32 BlockAt(ulong height, in Hash32 parent)
    {
        Span<byte> input = stackalloc byte[8 + 32];
        BinaryPrimitives.WriteUInt64BigEndian(input, height);
        parent.AsReadOnlySpan().CopyTo(input[8..]);
        var block = default(Hash32);
        s_block.Compute(input, block);
        return block;
    }
}
