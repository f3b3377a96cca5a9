using System.Runtime.InteropServices;

namespace Sequencer.Core.VotePipeline;

/// <summary>
/// A bounded multi-producer, multi-consumer ring of <see cref="VerificationJob"/>s (Dmitry Vyukov's design): every
/// cell carries a sequence number that says whose turn it is, so producers and consumers each take a position with
/// one CAS and hand the cell over with one release store. Fixed capacity, no allocation after construction.
/// </summary>
internal sealed class VerificationQueue
{
    private readonly Cell[] _cells;
    private readonly long _mask;
    private PaddedPosition _enqueue;
    private PaddedPosition _dequeue;

    /// <param name="capacity">A power of two.</param>
    public VerificationQueue(int capacity)
    {
        _cells = new Cell[capacity];
        _mask = capacity - 1;
        for (var i = 0; i < capacity; i++)
            _cells[i].Sequence = i;
    }

    public int Capacity => _cells.Length;

    /// <summary>Jobs queued and not yet taken (a moment's reading).</summary>
    public int Count => (int)Math.Max(0, Volatile.Read(ref _enqueue.Value) - Volatile.Read(ref _dequeue.Value));

    /// <summary>False when the ring is full.</summary>
    public bool TryEnqueue(in VerificationJob job)
    {
        var position = Volatile.Read(ref _enqueue.Value);
        while (true)
        {
            ref var cell = ref _cells[position & _mask];
            var lag = Volatile.Read(ref cell.Sequence) - position;
            if (lag == 0)
            {
                if (Interlocked.CompareExchange(ref _enqueue.Value, position + 1, position) == position)
                {
                    cell.Job = job;
                    Volatile.Write(ref cell.Sequence, position + 1);
                    return true;
                }
            }
            else if (lag < 0)
            {
                // The cell still holds the job from one lap ago: full.
                return false;
            }
            position = Volatile.Read(ref _enqueue.Value);
        }
    }

    /// <summary>False when no job is ready.</summary>
    public bool TryDequeue(out VerificationJob job)
    {
        var position = Volatile.Read(ref _dequeue.Value);
        while (true)
        {
            ref var cell = ref _cells[position & _mask];
            var lag = Volatile.Read(ref cell.Sequence) - (position + 1);
            if (lag == 0)
            {
                if (Interlocked.CompareExchange(ref _dequeue.Value, position + 1, position) == position)
                {
                    job = cell.Job;
                    // Drop the pipeline reference so a finished round is not kept alive by the ring.
                    cell.Job = default;
                    Volatile.Write(ref cell.Sequence, position + _cells.Length);
                    return true;
                }
            }
            else if (lag < 0)
            {
                job = default;
                return false;
            }
            position = Volatile.Read(ref _dequeue.Value);
        }
    }

    private struct Cell
    {
        public long Sequence;
        public VerificationJob Job;
    }

    /// <summary>A position alone on its cache lines, so producers and consumers do not slow each other down.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedPosition
    {
        [FieldOffset(64)]
        public long Value;
    }
}
