using System.Diagnostics;
using System.Runtime.ExceptionServices;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub.Signing;

/// <summary>
/// The signature checks of a run of messages one peer sent, shared between the thread that handles the peer's
/// messages in order and helper threads that check ahead of it. A signature check (Ed25519 about 37 µs, secp256k1
/// similar) is most of what a new message costs, and one peer's messages must be handled one at a time, in order; the
/// checks themselves depend on nothing but the message, so they can run on other cores while the handling thread
/// scores, caches, forwards and delivers.
/// <para>
/// Protocol. The handling thread <see cref="Add"/>s jobs (each message is copied into the batch's own arena) while
/// the batch is closed, <see cref="Start"/>s it, asks for each verdict in order with <see cref="Take"/>, and
/// <see cref="Finish"/>es it. Jobs are claimed in order through one counter (<c>_next</c>) by whichever thread comes
/// first. <see cref="Take"/> never depends on a helper: it checks unclaimed jobs itself until the one it needs is
/// claimed; if a helper holds that one, it waits for it only about as long as one check takes and then checks the
/// message itself — a helper may be descheduled at any moment on a busy machine, and the handling thread must not
/// stall behind it. For the same reason <see cref="Finish"/> does not wait: it closes the counter (jobs nobody
/// claimed are never checked, so a message that turned out to be a duplicate costs nothing) and reports whether a
/// helper is still inside a job; such a batch is never reused (the helper finishes on its own copy and the batch is
/// left to the collector), so no verdict can land in a later batch.
/// </para>
/// <para>
/// A helper that starts late, after its batch closed or while a later batch of this object runs, claims nothing or
/// takes part correctly: the counter opens only once the jobs are in place. Nothing is allocated once the arena has
/// grown to the batch's messages, except a replacement batch after a straggling helper.
/// </para>
/// </summary>
internal sealed class SignatureBatch : IThreadPoolWorkItem
{
    /// <summary>Jobs per batch: at 37 µs each, at most a few milliseconds of checks ahead of the handling thread.</summary>
    public const int Capacity = 64;

    /// <summary>Most bytes of messages one batch copies; larger messages are left to the handling thread.</summary>
    public const int MaxArenaSize = 64 * 1024;

    private const int MinJobsPerHelper = 3;

    // The counter's value while no batch runs: far beyond any job index, and incrementing it cannot overflow.
    private const int Closed = int.MaxValue / 2;

    private readonly IPubSubSignatureVerifier _verifier;
    private readonly int _helpers;
    private readonly int[] _starts = new int[Capacity + 1];
    private readonly MessageLayout[] _layouts = new MessageLayout[Capacity];
    private readonly MessageRejection[] _verdicts = new MessageRejection[Capacity];
    private readonly int[] _done = new int[Capacity];
    private readonly long _patienceTicks = Math.Max(1, Stopwatch.Frequency / 20_000); // 50 µs
    private byte[] _arena = new byte[8 * 1024];
    private ExceptionDispatchInfo?[]? _failures;
    private int _count;
    private int _next = Closed;
    private int _completed;

    /// <param name="verifier">Thread-safe, as <see cref="IPubSubSignatureVerifier"/> requires.</param>
    /// <param name="helpers">Helper threads to start per batch (0: the handling thread checks everything).</param>
    public SignatureBatch(IPubSubSignatureVerifier verifier, int helpers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(helpers);
        _verifier = verifier;
        _helpers = helpers;
    }

    /// <summary>Helpers worth starting on this machine: one per core beyond the handling thread's, at most three.</summary>
    public static int DefaultHelpers => Math.Clamp(Environment.ProcessorCount - 1, 0, 3);

    public int Count => _count;

    public bool IsFull => _count == Capacity;

    /// <summary>
    /// Adds the check of a StrictSign message that passed <see cref="MessageAuthenticator.CheckStructure"/>; returns
    /// its job number, or -1 when the batch has no room for it. Only between <see cref="Finish"/> and <see cref="Start"/>.
    /// </summary>
    public int Add(ReadOnlySpan<byte> encoded, in MessageLayout layout)
    {
        if (Volatile.Read(ref _next) < Closed)
            throw new InvalidOperationException("jobs are added to a running signature batch");
        var start = _starts[_count];
        if (_count == Capacity || start + encoded.Length > MaxArenaSize)
            return -1;
        if (_arena.Length < start + encoded.Length)
            Array.Resize(ref _arena, Math.Min(MaxArenaSize, Math.Max(start + encoded.Length, 2 * _arena.Length)));
        encoded.CopyTo(_arena.AsSpan(start));
        _starts[_count + 1] = start + encoded.Length;
        _layouts[_count] = layout;
        _done[_count] = 0;
        if (_failures is not null)
            _failures[_count] = null;
        return _count++;
    }

    /// <summary>Opens the jobs to the helpers (started here) and to <see cref="Take"/>.</summary>
    public void Start()
    {
        if (_count == 0)
            return;
        _completed = 0;
        // Publishes the jobs: a helper reads them only after claiming an index through the counter.
        Volatile.Write(ref _next, 0);
        // A helper pays for itself from about four jobs on (waking it, and its thread idling after, cost CPU the other
        // processes of a busy machine could use); a receiver that keeps up gets small batches and checks them alone.
        for (var i = Math.Min(_helpers, (_count - 1) / MinJobsPerHelper); i > 0; i--)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>
    /// The verdict of job <paramref name="job"/> if it is the check of <paramref name="encoded"/> (the same bytes);
    /// false when it is not, and the caller checks the message itself.
    /// </summary>
    public bool Take(int job, ReadOnlySpan<byte> encoded, out MessageRejection verdict)
    {
        verdict = MessageRejection.None;
        if ((uint)job >= (uint)_count || !encoded.SequenceEqual(Message(job)))
            return false;
        long waitingSince = 0;
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _done[job]) == 0)
        {
            // Rather than wait for a helper, check the next unclaimed message (it will be asked for soon).
            if (TryCheckNext())
                continue;
            // Every job is claimed and a helper holds this one: wait about one check's time, then do it here.
            var now = Stopwatch.GetTimestamp();
            if (waitingSince == 0)
                waitingSince = now;
            else if (now - waitingSince > _patienceTicks)
            {
                verdict = Check(job);
                return true;
            }
            // Spins briefly, then yields the core: on a busy machine the helper may be waiting for this very one.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
        if (_failures?[job] is { } failure)
            failure.Throw();
        verdict = _verdicts[job];
        return true;
    }

    /// <summary>
    /// Closes the batch: no job is claimed any more. True when it can be reused; false when a helper is still inside
    /// a job (the batch then belongs to that helper until it ends, and the caller takes a new one).
    /// </summary>
    public bool Finish()
    {
        if (_count == 0)
            return true;
        var claimed = Math.Min(Interlocked.Exchange(ref _next, Closed), _count);
        var reusable = Volatile.Read(ref _completed) >= claimed;
        if (reusable)
            _count = 0;
        return reusable;
    }

    void IThreadPoolWorkItem.Execute()
    {
        while (TryCheckNext())
        {
        }
    }

    private ReadOnlySpan<byte> Message(int job) => _arena.AsSpan(_starts[job], _starts[job + 1] - _starts[job]);

    private MessageRejection Check(int job) =>
        MessageAuthenticator.VerifySignature(_verifier, _layouts[job].Fields(Message(job)));

    /// <summary>Claims the next job and checks it; false when none is left (or the batch is closed).</summary>
    private bool TryCheckNext()
    {
        var job = Interlocked.Increment(ref _next) - 1;
        if (job >= _count)
            return false;
        try
        {
            _verdicts[job] = Check(job);
        }
        catch (Exception e)
        {
            // A verifier that throws must not take a helper thread (and the process) down: the handling thread
            // rethrows it when it asks for this verdict, as if it had made the check itself.
            Interlocked.CompareExchange(ref _failures, new ExceptionDispatchInfo?[Capacity], null);
            _failures[job] = ExceptionDispatchInfo.Capture(e);
        }
        Volatile.Write(ref _done[job], 1);
        Interlocked.Increment(ref _completed);
        return true;
    }
}
