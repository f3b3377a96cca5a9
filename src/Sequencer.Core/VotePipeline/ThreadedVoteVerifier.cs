using System.Numerics;
using Sequencer.Core.Crypto;
using Sequencer.Core.Wire;

namespace Sequencer.Core.VotePipeline;

/// <summary>
/// Signature verification on dedicated worker threads, shared by every round of a node. Pipelines queue claimed votes
/// in a bounded ring (<see cref="VoteOutcome.Busy"/> when it is full: the engine never blocks its loop);
/// each worker, with its own libsecp256k1 context, takes up to <see cref="BatchSize"/> jobs at a time, verifies and
/// folds them, then reports the batch to each pipeline's <see cref="IVotePipelineEvents.OnVotesVerified"/> in one
/// call. libsecp256k1 0.2 has no batch verification, so a batch amortises the hand-offs, not the curve arithmetic.
/// Nothing is allocated per vote: jobs live in the ring's preallocated cells, verdicts in each worker's own array.
/// </summary>
/// <remarks>
/// Idle workers sleep on a semaphore. A worker registers as sleeping, then looks at the ring once more before it
/// waits; a producer, after queueing, takes one registration (if any) and releases one permit. The re-check and the
/// full fences on both sides mean a job queued while a worker was going to sleep always wakes someone.
/// </remarks>
public sealed class ThreadedVoteVerifier : VoteVerifier, IDisposable
{
    public const int DefaultBatchSize = 32;
    public const int DefaultQueueCapacity = 16_384;
    public const int MaxWorkers = 64;

    private readonly VerificationQueue _queue;
    private readonly Thread[] _workers;
    // A kernel-style semaphore, not SemaphoreSlim: SemaphoreSlim spins (yielding the CPU in a loop) before it blocks,
    // and with a node's bursts of a few votes its workers spun after nearly every batch — CPU other processes lacked.
    private readonly Semaphore _wake = new(0, int.MaxValue);
    private int _sleeping;
    private volatile bool _stopping;

    /// <param name="workerCount">Threads to start, 1 … <see cref="MaxWorkers"/> (one per core the node gives to votes).</param>
    /// <param name="batchSize">Jobs a worker takes at once, 1 … <see cref="WireLimits.MaxVoteSetDeltaEntries"/>.</param>
    /// <param name="queueCapacity">Jobs that can wait, a power of two from 2 to 2^20.</param>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is outside its range.</exception>
    public ThreadedVoteVerifier(int workerCount, int batchSize = DefaultBatchSize, int queueCapacity = DefaultQueueCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(workerCount, MaxWorkers);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(batchSize, WireLimits.MaxVoteSetDeltaEntries);
        if (queueCapacity is < 2 or > 1 << 20 || !BitOperations.IsPow2(queueCapacity))
            throw new ArgumentOutOfRangeException(nameof(queueCapacity), queueCapacity, "a power of two from 2 to 1048576");
        BatchSize = batchSize;
        _queue = new VerificationQueue(queueCapacity);
        _workers = new Thread[workerCount];
        for (var i = 0; i < workerCount; i++)
        {
            _workers[i] = new Thread(Work) { IsBackground = true, Name = $"vote-verifier-{i}" };
            _workers[i].Start();
        }
    }

    public int WorkerCount => _workers.Length;

    public int BatchSize { get; }

    public int QueueCapacity => _queue.Capacity;

    /// <summary>Jobs waiting for a worker (a moment's reading).</summary>
    public int QueuedCount => _queue.Count;

    /// <summary>
    /// Stops the workers after they have finished every job already queued. Close or drop the pipelines using this
    /// verifier first: a vote submitted while it is being disposed may stay unverified.
    /// </summary>
    public void Dispose()
    {
        if (_stopping)
            return;
        _stopping = true;
        _wake.Release(_workers.Length);
        foreach (var worker in _workers)
            worker.Join();
        _wake.Dispose();
    }

    internal override VoteOutcome Verify(RoundVotePipeline pipeline, uint voterIndex, Decision decision, long token)
    {
        if (!_queue.TryEnqueue(new VerificationJob(pipeline, voterIndex, decision, token)))
            return VoteOutcome.Busy;
        WakeOneSleeper();
        return VoteOutcome.Queued;
    }

    /// <exception cref="ObjectDisposedException">The verifier has been disposed.</exception>
    internal override void ThrowIfUnusable() => ObjectDisposedException.ThrowIf(_stopping, this);

    private void WakeOneSleeper()
    {
        // The job's release store must be visible before the sleeper count is read (store → load needs a full fence).
        Interlocked.MemoryBarrier();
        while (true)
        {
            var sleeping = Volatile.Read(ref _sleeping);
            if (sleeping == 0)
                return;
            if (Interlocked.CompareExchange(ref _sleeping, sleeping - 1, sleeping) == sleeping)
            {
                _wake.Release();
                return;
            }
        }
    }

    private void Work()
    {
        var context = Secp256k1Context.CreateWorker();
        var jobs = new VerificationJob[BatchSize];
        var verdicts = new VoteVerdict[BatchSize];
        try
        {
            while (true)
            {
                var count = 0;
                while (count < jobs.Length && _queue.TryDequeue(out jobs[count]))
                    count++;
                if (count == 0)
                {
                    if (_stopping)
                        return;
                    Sleep();
                    continue;
                }
                for (var i = 0; i < count; i++)
                {
                    ref readonly var job = ref jobs[i];
                    verdicts[i] = new VoteVerdict(job.Token, job.VoterIndex, job.Decision,
                        job.Pipeline.VerifyClaimed(context, job.VoterIndex, job.Decision));
                }
                Report(jobs, verdicts, count);
                Array.Clear(jobs, 0, count);
            }
        }
        finally
        {
            Secp256k1Context.Destroy(context);
        }
    }

    /// <summary>One call per run of consecutive jobs of one pipeline (rounds share the ring).</summary>
    private static void Report(VerificationJob[] jobs, VoteVerdict[] verdicts, int count)
    {
        var start = 0;
        for (var i = 1; i <= count; i++)
        {
            if (i < count && ReferenceEquals(jobs[i].Pipeline, jobs[start].Pipeline))
                continue;
            jobs[start].Pipeline.ReportVerdicts(verdicts.AsSpan(start, i - start));
            start = i;
        }
    }

    private void Sleep()
    {
        Interlocked.Increment(ref _sleeping);
        if (_queue.Count > 0 || _stopping)
        {
            // Take the registration back; if a producer already took it, it released a permit for us: consume it.
            if (!TryUnregisterSleeper())
                _wake.WaitOne();
            return;
        }
        _wake.WaitOne();
    }

    private bool TryUnregisterSleeper()
    {
        while (true)
        {
            var sleeping = Volatile.Read(ref _sleeping);
            if (sleeping == 0)
                return false;
            if (Interlocked.CompareExchange(ref _sleeping, sleeping - 1, sleeping) == sleeping)
                return true;
        }
    }
}
