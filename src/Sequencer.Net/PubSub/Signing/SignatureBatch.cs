using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub.Signing;

/// <summary>
/// The signature checks of a run of messages one peer sent, shared between the thread that handles the peer's
/// messages in order and helper threads that check ahead of it. A signature check (Ed25519 about 37 µs, secp256k1
/// more) is most of what a new message costs, and one peer's messages must be handled one at a time, in order; the
/// checks themselves depend on nothing but the message, so they can run on other cores while the handling thread
/// scores, caches, forwards and delivers.
/// <para>
/// Protocol. The handling thread <see cref="Add"/>s jobs while the batch is closed, <see cref="Start"/>s it, asks
/// for each verdict in order with <see cref="Take"/>, and <see cref="Finish"/>es it before the messages' memory is
/// released. Jobs are claimed strictly in order through one counter (<c>_next</c>) by whichever thread comes first:
/// helpers claim the next unclaimed job; <see cref="Take"/> claims and checks jobs itself until the one it needs is
/// claimed, then waits for that one — so the handling thread never idles while work is left, and a job is checked
/// exactly once. <see cref="Finish"/> closes the counter (jobs nobody claimed are never checked: a message that
/// turned out to be a duplicate costs nothing) and waits for the claimed ones to complete. A helper that starts late,
/// after the batch closed or even while a later batch of this object runs, claims nothing or takes part correctly:
/// the counter is only opened once the jobs are in place.
/// </para>
/// <para>
/// The batch holds the messages by reference (their bytes stay where they were received, untouched until
/// <see cref="Finish"/> returns) and allocates nothing once built.
/// </para>
/// </summary>
internal sealed class SignatureBatch : IThreadPoolWorkItem
{
    /// <summary>Jobs per batch: at 37 µs each, at most a few milliseconds of checks ahead of the handling thread.</summary>
    public const int Capacity = 64;

    // The counter's value while no batch runs: far beyond any job index, and incrementing it cannot overflow.
    private const int Closed = int.MaxValue / 2;

    private readonly IPubSubSignatureVerifier _verifier;
    private readonly int _helpers;
    private readonly ReadOnlyMemory<byte>[] _messages = new ReadOnlyMemory<byte>[Capacity];
    private readonly MessageLayout[] _layouts = new MessageLayout[Capacity];
    private readonly MessageRejection[] _verdicts = new MessageRejection[Capacity];
    private readonly int[] _done = new int[Capacity];
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
    /// its job number. Only between <see cref="Finish"/> and <see cref="Start"/>.
    /// </summary>
    public int Add(ReadOnlyMemory<byte> encoded, in MessageLayout layout)
    {
        if (Volatile.Read(ref _next) < Closed)
            throw new InvalidOperationException("jobs are added to a running signature batch");
        if (_count == Capacity)
            throw new InvalidOperationException($"the signature batch is full ({Capacity} jobs)");
        _messages[_count] = encoded;
        _layouts[_count] = layout;
        _done[_count] = 0;
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
        for (var i = Math.Min(_helpers, _count - 1); i > 0; i--)
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
    }

    /// <summary>
    /// The verdict of job <paramref name="job"/> if it checked <paramref name="encoded"/> (the same bytes in the same
    /// place); false when it did not, and the caller checks the message itself.
    /// </summary>
    public bool Take(int job, ReadOnlySpan<byte> encoded, out MessageRejection verdict)
    {
        verdict = MessageRejection.None;
        if ((uint)job >= (uint)_count || !IsSameMemory(_messages[job].Span, encoded))
            return false;
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _done[job]) == 0)
        {
            // Rather than wait for a helper, check the next unclaimed message (it will be asked for soon).
            if (!TryCheckNext())
                spinner.SpinOnce(sleep1Threshold: -1);
        }
        if (_failures?[job] is { } failure)
        {
            _failures[job] = null;
            failure.Throw();
        }
        verdict = _verdicts[job];
        return true;
    }

    /// <summary>Closes the batch: no job is claimed any more, the claimed ones have completed, the messages are let go.</summary>
    public void Finish()
    {
        if (_count == 0)
            return;
        var claimed = Math.Min(Interlocked.Exchange(ref _next, Closed), _count);
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _completed) < claimed)
            spinner.SpinOnce(sleep1Threshold: -1);
        Array.Clear(_messages, 0, _count);
        if (_failures is not null)
            Array.Clear(_failures, 0, _count);
        _count = 0;
    }

    void IThreadPoolWorkItem.Execute()
    {
        while (TryCheckNext())
        {
        }
    }

    /// <summary>Claims the next job and checks it; false when none is left (or the batch is closed).</summary>
    private bool TryCheckNext()
    {
        var job = Interlocked.Increment(ref _next) - 1;
        if (job >= _count)
            return false;
        try
        {
            _verdicts[job] = MessageAuthenticator.VerifySignature(_verifier, _layouts[job].Fields(_messages[job].Span));
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

    private static bool IsSameMemory(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a.Length == b.Length && Unsafe.AreSame(ref MemoryMarshal.GetReference(a), ref MemoryMarshal.GetReference(b));
}
