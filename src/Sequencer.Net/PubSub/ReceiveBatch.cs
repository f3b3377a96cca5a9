using System.Buffers;
using Sequencer.Net.PubSub.Signing;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub;

/// <summary>
/// The complete RPC frames one read of a peer's stream brought, taken together so that the signatures of their new
/// messages are checked in parallel (<see cref="SignatureBatch"/>) while the frames are still handled one at a time,
/// in order, exactly as they would be alone. Only the peer's receive path touches it.
/// <para>
/// Each message of each frame maps to a signature job or to none (-1): none when it needs no check as far as the
/// look-ahead could tell (ignored topic, structure rejected, already seen, a copy of an earlier message of the batch),
/// when its frame is split across buffer segments (rare: the look-ahead decodes frames where they lie), or when the
/// batch is full. A message without a job is handled as before, checking its own signature if it still needs one.
/// </para>
/// </summary>
internal sealed class ReceiveBatch(IPubSubSignatureVerifier verifier, int helpers)
{
    /// <summary>Frames per batch; the signature jobs are bounded by <see cref="SignatureBatch.Capacity"/> as well.</summary>
    public const int MaxFrames = 64;

    private readonly ReusableList<int> _firstMessage = new(MaxFrames);
    private readonly ReusableList<int> _jobs = new(SignatureBatch.Capacity);
    private readonly int[] _idHashes = new int[SignatureBatch.Capacity];
    private readonly int[] _idStarts = new int[SignatureBatch.Capacity + 1];
    private byte[] _ids = new byte[SignatureBatch.Capacity * 48];

    public ReusableList<ReadOnlySequence<byte>> Frames { get; } = new(MaxFrames);

    /// <summary>Decodes the frames during the look-ahead (the peer's own decoder is the handling pass's).</summary>
    public RpcDecoder Decoder { get; } = new();

    public SignatureBatch Signatures { get; private set; } = new(verifier, helpers);

    /// <summary>Closes the signature batch, replacing it when a straggling helper still holds it.</summary>
    public void FinishSignatures()
    {
        if (!Signatures.Finish())
            Signatures = new SignatureBatch(verifier, helpers);
    }

    /// <summary>Forgets the frames and the mapping; the signature batch must be finished.</summary>
    public void Clear()
    {
        Frames.Clear();
        _firstMessage.Clear();
        _jobs.Clear();
        _idStarts[0] = 0;
    }

    /// <summary>The look-ahead moves on to frame number <see cref="MappedFrames"/>.</summary>
    public void BeginFrame() => _firstMessage.Add(_jobs.Count);

    public int MappedFrames => _firstMessage.Count;

    /// <summary>The next message of the current frame has job <paramref name="job"/> (-1: none).</summary>
    public void MapMessage(int job) => _jobs.Add(job);

    /// <summary>The job of message <paramref name="message"/> of frame <paramref name="frame"/>, or -1.</summary>
    public int JobOf(int frame, int message)
    {
        if ((uint)frame >= (uint)_firstMessage.Count)
            return -1;
        var index = _firstMessage[frame] + message;
        var end = frame + 1 < _firstMessage.Count ? _firstMessage[frame + 1] : _jobs.Count;
        return (uint)message < (uint)(end - _firstMessage[frame]) ? _jobs[index] : -1;
    }

    /// <summary>
    /// Queues the check of a message with id <paramref name="id"/> unless a message with that id is already queued
    /// (a peer repeating one message in a batch must not make us check it over and over); returns its job or -1.
    /// </summary>
    public int TryQueue(ReadOnlySpan<byte> encoded, in MessageLayout layout, ReadOnlySpan<byte> id)
    {
        var count = Signatures.Count;
        if (count == SignatureBatch.Capacity)
            return -1;
        var hash = MessageIdKey.Hash(id);
        for (var i = 0; i < count; i++)
        {
            if (_idHashes[i] == hash && id.SequenceEqual(_ids.AsSpan(_idStarts[i], _idStarts[i + 1] - _idStarts[i])))
                return -1;
        }
        var job = Signatures.Add(encoded, layout);
        if (job < 0)
            return -1;
        var start = _idStarts[job];
        if (_ids.Length < start + id.Length)
            Array.Resize(ref _ids, Math.Max(start + id.Length, 2 * _ids.Length));
        id.CopyTo(_ids.AsSpan(start));
        _idHashes[job] = hash;
        _idStarts[job + 1] = start + id.Length;
        return job;
    }
}
