using System.Buffers;
using System.Collections.Concurrent;

namespace Sequencer.Net.Transport;

/// <summary>
/// The memory behind the stack's pipes: blocks of 4, 16 or 64 KiB, kept for reuse once returned. The shared
/// <see cref="ArrayPool{T}"/> keeps only a few dozen arrays per size, fewer than a busy session has in flight (a
/// window of data in a stream's pipe, more on the connection), so under load it would hand out fresh arrays — garbage
/// per frame. This pool keeps up to <see cref="RetainedBytesPerSize"/> per block size: a steady state allocates
/// nothing, and memory returned beyond that goes back to the GC. The block object is its own
/// <see cref="IMemoryOwner{T}"/>, so renting allocates nothing either.
/// </summary>
internal sealed class BlockMemoryPool : MemoryPool<byte>
{
    public const long RetainedBytesPerSize = 32L << 20;

    private static readonly int[] s_blockSizes = [4 * 1024, 16 * 1024, 64 * 1024];

    private readonly ConcurrentQueue<Block>[] _free = [new(), new(), new()];
    private readonly int[] _freeCounts = new int[3];

    public static new BlockMemoryPool Shared { get; } = new();

    public override int MaxBufferSize => s_blockSizes[^1];

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, MaxBufferSize);
        var size = 0;
        while (s_blockSizes[size] < minBufferSize)
            size++;
        if (_free[size].TryDequeue(out var block))
            Interlocked.Decrement(ref _freeCounts[size]);
        else
            block = new Block(this, size, new byte[s_blockSizes[size]]);
        block.MarkRented();
        return block;
    }

    protected override void Dispose(bool disposing)
    {
        // Shared for the process's lifetime: there is nothing to release.
    }

    private void Return(Block block)
    {
        var size = block.SizeIndex;
        if (Interlocked.Increment(ref _freeCounts[size]) * (long)s_blockSizes[size] > RetainedBytesPerSize)
        {
            Interlocked.Decrement(ref _freeCounts[size]);
            return;
        }
        _free[size].Enqueue(block);
    }

    private sealed class Block(BlockMemoryPool pool, int sizeIndex, byte[] array) : IMemoryOwner<byte>
    {
        private int _rented;

        public int SizeIndex { get; } = sizeIndex;

        public Memory<byte> Memory => array;

        public void MarkRented() => Volatile.Write(ref _rented, 1);

        // Returned once per rent, whatever the caller does: a block queued twice would be handed out twice.
        public void Dispose()
        {
            if (Interlocked.Exchange(ref _rented, 0) == 1)
                pool.Return(this);
        }
    }
}
