using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Sequencer.Core.Crdt;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Native;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Primitives;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;

namespace Sequencer.Benchmarks.VotePipeline;

/// <summary>
/// The buddy's vote pipeline (decode, round checks, dedupe, digest, verify, fold into set and tally) against the least
/// any verifier can do: a bare loop of <c>secp256k1_schnorrsig_verify</c> over the same pre-signed votes, with their
/// digests precomputed and keys parsed in native memory. Each invocation takes <see cref="Count"/> distinct votes into
/// a fresh round (made in the iteration setup, outside the measurement), so the figures are per vote:
/// <list type="bullet">
/// <item><see cref="InlinePipeline"/>: one thread; target ratio ≤ 1.11 (throughput ≥ 0.9 of the bare loop).</item>
/// <item><see cref="ThreadedPipelineTwoWorkers"/>: the submitting thread queues, two workers verify; target ratio ≈ 0.5
/// (twice the bare loop's throughput), given two free cores.</item>
/// <item>Allocated per vote: 0 for every pipeline variant, worker threads included (the diagnoser counts the process).</item>
/// </list>
/// On a shared machine the median and minimum say more than the mean: preemption only ever adds time.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[MinColumn]
[InvocationCount(1)]
public unsafe class VotePipelineBenchmarks
{
    private const int Count = 4096;

    private static readonly RoundId Round = new(1, 1_000_000, Hash32.FromSpan(SHA256.HashData("benchmark block"u8)));

    private readonly ReadOnlySequence<byte>[] _encodedVotes = new ReadOnlySequence<byte>[Count];
    private readonly CompletionCounter _completion = new();
    private VoterRoster _roster = null!;
    private ThreadedVoteVerifier _oneWorker = null!;
    private ThreadedVoteVerifier _twoWorkers = null!;
    private RoundVotePipeline _pipeline = null!;

    private byte* _nativeDigests;
    private byte* _nativeSignatures;
    private Secp256k1XOnlyPublicKeyData* _nativeKeys;

    [GlobalSetup]
    public void Setup()
    {
        var directory = Hash32.FromSpan(SHA256.HashData("benchmark directory"u8));
        var keys = new SchnorrPublicKey[Count];
        _nativeDigests = (byte*)NativeMemory.Alloc(Count * Hash32.Length);
        _nativeSignatures = (byte*)NativeMemory.Alloc(Count * SchnorrSignature.Length);
        _nativeKeys = (Secp256k1XOnlyPublicKeyData*)NativeMemory.Alloc(Count, (nuint)sizeof(Secp256k1XOnlyPublicKeyData));
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < Count; i++)
        {
            using var key = Secp256k1PrivateKey.FromBytes(SHA256.HashData(BitConverter.GetBytes(i + 1)));
            keys[i] = key.PublicKey.SchnorrKey;
            var vote = new Vote { Round = Round, DirectoryHash = directory, VoterIndex = (uint)i, Decision = Decision.Accept };
            var digest = new Span<byte>(_nativeDigests + i * Hash32.Length, Hash32.Length);
            vote.ComputeSigningDigest(digest);
            key.SignSchnorr(digest, vote.Signature);
            vote.Signature.AsReadOnlySpan().CopyTo(new Span<byte>(_nativeSignatures + i * SchnorrSignature.Length, SchnorrSignature.Length));
            fixed (byte* xOnly = keys[i].XOnly)
            {
                if (Secp256k1Native.secp256k1_xonly_pubkey_parse(Secp256k1Context.Shared, _nativeKeys + i, xOnly) != 1)
                    throw new InvalidOperationException($"benchmark key {i} does not parse");
            }
            output.ResetWrittenCount();
            vote.Encode(output);
            _encodedVotes[i] = new ReadOnlySequence<byte>(output.WrittenSpan.ToArray());
        }
        _roster = new VoterRoster(directory, keys, Enumerable.Repeat(1UL, Count).ToArray());
        _oneWorker = new ThreadedVoteVerifier(1, queueCapacity: 2 * Count);
        _twoWorkers = new ThreadedVoteVerifier(2, queueCapacity: 2 * Count);

        // Every variant must take every vote down the full, successful path.
        Check("bare loop", BareVerifyLoop());
        foreach (var (name, setup, run) in new (string, Action, Func<int>)[]
        {
            ("inline", NewInlineRound, InlinePipeline),
            ("one worker", NewOneWorkerRound, ThreadedPipelineOneWorker),
            ("two workers", NewTwoWorkerRound, ThreadedPipelineTwoWorkers),
        })
        {
            setup();
            run();
            Check(name, (int)_pipeline.Counters[VoteOutcome.Recorded]);
            Check(name, _pipeline.Tally.AcceptVoters);
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _oneWorker.Dispose();
        _twoWorkers.Dispose();
        NativeMemory.Free(_nativeDigests);
        NativeMemory.Free(_nativeSignatures);
        NativeMemory.Free(_nativeKeys);
    }

    [IterationSetup(Target = nameof(InlinePipeline))]
    public void NewInlineRound() => _pipeline = new RoundVotePipeline(Round, _roster, VoteVerifier.Inline);

    [IterationSetup(Target = nameof(ThreadedPipelineOneWorker))]
    public void NewOneWorkerRound() => _pipeline = new RoundVotePipeline(Round, _roster, _oneWorker, _completion);

    [IterationSetup(Target = nameof(ThreadedPipelineTwoWorkers))]
    public void NewTwoWorkerRound() => _pipeline = new RoundVotePipeline(Round, _roster, _twoWorkers, _completion);

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public int BareVerifyLoop()
    {
        var context = Secp256k1Context.Shared;
        var valid = 0;
        for (var i = 0; i < Count; i++)
        {
            valid += Secp256k1Native.secp256k1_schnorrsig_verify(context, _nativeSignatures + i * SchnorrSignature.Length,
                _nativeDigests + i * Hash32.Length, Hash32.Length, _nativeKeys + i);
        }
        return valid;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int InlinePipeline()
    {
        var recorded = 0;
        for (var i = 0; i < Count; i++)
            recorded += _pipeline.Submit(_encodedVotes[i]) == VoteOutcome.Recorded ? 1 : 0;
        return recorded;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int ThreadedPipelineOneWorker() => SubmitAndWait();

    [Benchmark(OperationsPerInvoke = Count)]
    public int ThreadedPipelineTwoWorkers() => SubmitAndWait();

    private int SubmitAndWait()
    {
        _completion.Expect(Count);
        var queued = 0;
        for (var i = 0; i < Count; i++)
            queued += _pipeline.Submit(_encodedVotes[i]) == VoteOutcome.Queued ? 1 : 0;
        _completion.Wait();
        return queued;
    }

    private static void Check(string variant, int valid)
    {
        if (valid != Count)
            throw new InvalidOperationException($"{variant}: {valid} of {Count} votes went through");
    }

    /// <summary>Signals when the expected number of verdicts has arrived; allocates nothing per batch.</summary>
    private sealed class CompletionCounter : IVotePipelineEvents
    {
        private readonly ManualResetEventSlim _done = new(false);
        private int _remaining;

        public void Expect(int count)
        {
            _done.Reset();
            Volatile.Write(ref _remaining, count);
        }

        public void Wait() => _done.Wait();

        public void OnVotesVerified(RoundVotePipeline pipeline, ReadOnlySpan<VoteVerdict> verdicts)
        {
            if (Interlocked.Add(ref _remaining, -verdicts.Length) == 0)
                _done.Set();
        }

        public void OnQuorumReached(RoundVotePipeline pipeline, Decision decision, VoteTallySnapshot tally)
        {
        }
    }
}
