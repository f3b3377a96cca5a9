using System.Buffers;
using BenchmarkDotNet.Attributes;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Benchmarks.Wire;

/// <summary>
/// The vote codec on the buddy's hot path: every vote of the network is decoded and digested once. The baseline is a
/// plain copy of a vote's 151 bytes, the least any handling of a vote can cost. Encode and decode must allocate
/// nothing.
/// </summary>
[MemoryDiagnoser]
public class VoteCodecBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(Vote.EncodedLength);
    private readonly byte[] _copy = new byte[Vote.EncodedLength];
    private readonly byte[] _digest = new byte[Hash32.Length];
    private Vote _vote;
    private byte[] _encoded = [];
    private ReadOnlySequence<byte> _contiguous;
    private ReadOnlySequence<byte> _split;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        var blockHash = default(Hash32);
        random.NextBytes(blockHash);
        _vote = new Vote
        {
            Round = new RoundId(1, 1_234_567, blockHash),
            VoterIndex = 4_321,
            Decision = Decision.Accept,
        };
        random.NextBytes(_vote.DirectoryHash);
        random.NextBytes(_vote.Signature);
        _vote.Encode(_output);
        _encoded = _output.WrittenSpan.ToArray();
        _contiguous = new ReadOnlySequence<byte>(_encoded);
        _split = TwoSegments(_encoded, 70);
    }

    [Benchmark(Baseline = true)]
    public byte CopyVoteBytes()
    {
        _encoded.AsSpan().CopyTo(_copy);
        return _copy[^1];
    }

    [Benchmark]
    public int EncodeVote()
    {
        _output.ResetWrittenCount();
        _vote.Encode(_output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public uint DecodeVote()
    {
        Vote.TryDecode(_contiguous, out var vote);
        return vote.VoterIndex;
    }

    /// <summary>A vote split across two pipe segments, as a read from a socket may deliver it.</summary>
    [Benchmark]
    public uint DecodeVoteFromTwoSegments()
    {
        Vote.TryDecode(_split, out var vote);
        return vote.VoterIndex;
    }

    [Benchmark]
    public byte ComputeVoteDigest()
    {
        _vote.ComputeSigningDigest(_digest);
        return _digest[0];
    }

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int at)
    {
        var first = new Segment(bytes[..at], 0);
        var second = new Segment(bytes[at..], at);
        first.SetNext(second);
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] bytes, long runningIndex)
        {
            Memory = bytes;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
