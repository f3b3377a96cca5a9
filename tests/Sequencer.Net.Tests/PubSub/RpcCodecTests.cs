using System.Buffers;
using System.Text;
using FsCheck.Xunit;
using Sequencer.Core.Formats;
using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.Tests.PubSub;

public sealed class RpcCodecTests
{
    [Property(MaxTest = 300)]
    public bool BuilderAndDecoderRoundTrip(int seed)
    {
        var model = RpcModel.Random(seed);
        var rpc = model.ToRpc();
        var decoder = new RpcDecoder();
        if (decoder.Decode(rpc, RpcLimits.Default) != RpcError.None || decoder.DroppedEntries != 0)
            return false;
        var span = rpc.AsSpan();
        string Text(ByteRange range) => Encoding.UTF8.GetString(range.Of(rpc.AsSpan()));

        if (decoder.Subscriptions.Count != model.Subscriptions.Count)
            return false;
        for (var i = 0; i < model.Subscriptions.Count; i++)
            if (decoder.Subscriptions[i].Subscribe != model.Subscriptions[i].Subscribe
                || Text(decoder.Subscriptions[i].Topic) != model.Subscriptions[i].Topic)
                return false;

        if (decoder.Messages.Count != model.Messages.Count)
            return false;
        for (var i = 0; i < model.Messages.Count; i++)
        {
            var entry = decoder.Messages[i];
            var encoded = entry.Encoded.Of(span);
            if (!encoded.SequenceEqual(TestMessages.Encode(model.Messages[i])))
                return false;
            var fields = entry.Layout.Fields(encoded);
            var expected = model.Messages[i].ToMessageFields(withAuthentication: true);
            if (fields.Present != expected.Present
                || !fields.From.SequenceEqual(expected.From) || !fields.Data.SequenceEqual(expected.Data)
                || !fields.Seqno.SequenceEqual(expected.Seqno) || !fields.Topic.SequenceEqual(expected.Topic)
                || !fields.Signature.SequenceEqual(expected.Signature) || !fields.Key.SequenceEqual(expected.Key))
                return false;
        }

        var view = RpcView.FromRpc(rpc);
        return view.IHaves.Select(h => (h.Topic, string.Join(",", h.Ids)))
                .SequenceEqual(model.IHaves.Select(h => (h.Topic, string.Join(",", h.Ids.Select(Convert.ToHexString)))))
            && view.IWants.SequenceEqual(model.IWants.Select(Convert.ToHexString))
            && view.Grafts.SequenceEqual(model.Grafts)
            && view.Prunes.SequenceEqual(model.Prunes.Select(p => (p.Topic, p.Backoff, p.Peers.Count)))
            && PrunePeersMatch(decoder, rpc, model)
            && view.IDontWants.SequenceEqual(model.IDontWants.Select(Convert.ToHexString));
    }

    private static bool PrunePeersMatch(RpcDecoder decoder, byte[] rpc, RpcModel model)
    {
        var expected = model.Prunes.SelectMany(p => p.Peers).ToList();
        if (decoder.PrunePeers.Count != expected.Count)
            return false;
        for (var i = 0; i < expected.Count; i++)
            if (!decoder.PrunePeers[i].PeerId.Of(rpc.AsSpan()).SequenceEqual(expected[i].PeerId)
                || !decoder.PrunePeers[i].SignedPeerRecord.Of(rpc.AsSpan()).SequenceEqual(expected[i].Record))
                return false;
        return true;
    }

    [Property(MaxTest = 100)]
    public bool EveryTruncationIsATypedErrorUnlessItFallsBetweenFields(int seed)
    {
        var rpc = RpcModel.Random(seed).ToRpc();
        var boundaries = TopLevelFieldBoundaries(rpc);
        var decoder = new RpcDecoder();
        for (var length = 0; length < rpc.Length; length++)
        {
            var error = decoder.Decode(rpc.AsMemory(0, length), RpcLimits.Default);
            var atBoundary = boundaries.Contains(length);
            if (atBoundary != (error == RpcError.None))
                return false;
            if (!atBoundary && (error is not (RpcError.Truncated or RpcError.LengthOutOfRange) || decoder.ErrorOffset > length))
                return false;
        }
        return true;
    }

    private static HashSet<int> TopLevelFieldBoundaries(byte[] rpc)
    {
        var boundaries = new HashSet<int> { 0 };
        var reader = new ProtobufReader(rpc);
        while (reader.TryReadTag(out _, out var wireType) && reader.TrySkip(wireType))
            boundaries.Add(reader.Position);
        return boundaries;
    }

    [Property(MaxTest = 300)]
    public bool CorruptedRpcsDecodeOrFailWithATypedError(int seed, byte flip, int position)
    {
        var rpc = RpcModel.Random(seed).ToRpc();
        if (rpc.Length == 0)
            return true;
        rpc[(int)((uint)position % rpc.Length)] ^= (byte)(flip | 1);
        var decoder = new RpcDecoder();
        var error = decoder.Decode(rpc, RpcLimits.Default);
        return Enum.IsDefined(error) && (error == RpcError.None || decoder.ErrorOffset <= rpc.Length);
    }

    [Property(MaxTest = 300)]
    public bool ArbitraryBytesNeverThrow(byte[] bytes)
    {
        var decoder = new RpcDecoder();
        return Enum.IsDefined(decoder.Decode(bytes, RpcLimits.Default));
    }

    [Theory]
    [InlineData("0a", RpcError.Truncated, 1)]                       // subscription length missing
    [InlineData("0a05ab", RpcError.LengthOutOfRange, 2)]            // subscription longer than the RPC
    [InlineData("0a021201", RpcError.LengthOutOfRange, 4)]          // topic longer than its subscription
    [InlineData("0a020801", RpcError.None, 0)]                      // subscribe without topic: an empty topic
    [InlineData("0a021000", RpcError.WrongWireType, 3)]             // topic as a varint
    [InlineData("12022205", RpcError.LengthOutOfRange, 4)]        // Message.topic runs past the message
    [InlineData("1a041a020a09", RpcError.LengthOutOfRange, 6)]      // graft topic runs past the graft
    [InlineData("1a0422021a00", RpcError.WrongWireType, 5)]         // prune backoff as bytes
    [InlineData("1a0422021880", RpcError.Truncated, 6)]             // prune backoff varint cut
    [InlineData("00", RpcError.InvalidTag, 1)]
    [InlineData("0b", RpcError.InvalidTag, 1)]                      // group
    [InlineData("48ffffffffffffffffff02", RpcError.MalformedVarint, 11)]
    public void MalformedRpcsGiveTypedErrorsWithTheirPosition(string hex, RpcError expected, int offset)
    {
        var decoder = new RpcDecoder();
        Assert.Equal(expected, decoder.Decode(Convert.FromHexString(hex), RpcLimits.Default));
        Assert.Equal(offset, decoder.ErrorOffset);
    }

    [Fact]
    public void UnknownFieldsAreSkippedAtEveryLevel()
    {
        // RPC{ field 9 varint; subscriptions{ field 7 fixed32; subscribe; topic "a" }; control{ field 15 bytes; graft{ field 9 fixed64; topic "b" } } }
        var rpc = Convert.FromHexString("4801" + "0a0a" + "3d01020304" + "0801" + "120161" + "1a11" + "7a0100" + "1a0c" + "49" + "0102030405060708" + "0a0162");
        var view = RpcView.FromRpc(rpc);
        Assert.Equal([(true, "a")], view.Subscriptions);
        Assert.Equal(["b"], view.Grafts);
    }

    [Fact]
    public void EntriesBeyondTheLimitsAreDroppedAfterBeingChecked()
    {
        var builder = new RpcBuilder();
        for (var i = 0; i < 10; i++)
            builder.AddIWant(new[] { (byte)i });
        for (var i = 0; i < 5; i++)
            builder.AddGraft("t"u8.ToArray());
        var frame = TestMessages.Frame(builder);
        var rpc = frame.AsMemory(frame.Length - builder.RpcSize);
        var decoder = new RpcDecoder();
        var limits = RpcLimits.Default with { MaxIWantIds = 3, MaxControlEntries = 2 };
        Assert.Equal(RpcError.None, decoder.Decode(rpc, limits));
        Assert.Equal(3, decoder.IWantIds.Count);
        Assert.Equal(2, decoder.Grafts.Count);
        Assert.Equal(7 + 3, decoder.DroppedEntries);

        // A malformed entry past the limit is still an error.
        var bad = rpc.ToArray().Concat(Convert.FromHexString("1a041a020a09")).ToArray();
        Assert.Equal(RpcError.LengthOutOfRange, decoder.Decode(bad, limits));
    }

    [Fact]
    public void LastValueOfARepeatedMessageFieldWins()
    {
        // Message{ data "x"; topic "a"; data "yz" }
        var message = Convert.FromHexString("120178" + "220161" + "12027a7a");
        var decoder = new RpcDecoder();
        var rpc = Convert.FromHexString("12" + message.Length.ToString("x2") + Convert.ToHexString(message));
        Assert.Equal(RpcError.None, decoder.Decode(rpc, RpcLimits.Default));
        var fields = decoder.Messages[0].Layout.Fields(decoder.Messages[0].Encoded.Of(rpc.AsSpan()));
        Assert.Equal("zz"u8.ToArray(), fields.Data.ToArray());
        Assert.Equal(MessageFieldFlags.Data | MessageFieldFlags.Topic, fields.Present);
    }

    [Property(MaxTest = 100)]
    public bool FramesAreFoundWhereverTheBufferIsSplit(int seed)
    {
        var rpc = RpcModel.Random(seed).ToRpc();
        var frame = new byte[RpcFrame.GetFrameSize(rpc.Length)];
        var prefix = RpcFrame.WritePrefix(rpc.Length, frame);
        rpc.CopyTo(frame, prefix);
        var two = frame.Concat(frame).ToArray();
        for (var cut = 0; cut <= two.Length; cut++)
        {
            var buffer = Segments.Split(two, cut, cut / 2);
            for (var i = 0; i < 2; i++)
                if (RpcFrame.TryRead(ref buffer, RpcFrame.DefaultMaxRpcSize, out var body, out _) != OperationStatus.Done
                    || !body.ToArray().SequenceEqual(rpc))
                    return false;
            if (!buffer.IsEmpty)
                return false;

            // Any strict prefix of a frame asks for more data and consumes nothing.
            var partial = Segments.Split(two[..Math.Min(cut, frame.Length - 1)], cut / 2);
            var before = partial.Length;
            if (RpcFrame.TryRead(ref partial, RpcFrame.DefaultMaxRpcSize, out _, out _) != OperationStatus.NeedMoreData
                || partial.Length != before)
                return false;
        }
        return true;
    }

    [Theory]
    [InlineData("8180808001", RpcError.FrameTooLarge)]        // 2^28 + 1 announced, over the 4 MiB default
    [InlineData("8000", RpcError.MalformedLengthPrefix)]      // non-minimal zero
    [InlineData("ffffffffffffffffff01", RpcError.MalformedLengthPrefix)] // longer than 9 bytes
    public void BadFramePrefixesAreRefusedBeforeTheBody(string hex, RpcError expected)
    {
        var buffer = new ReadOnlySequence<byte>(Convert.FromHexString(hex));
        Assert.Equal(OperationStatus.InvalidData, RpcFrame.TryRead(ref buffer, RpcFrame.DefaultMaxRpcSize, out _, out var error));
        Assert.Equal(expected, error);
    }

    [Fact]
    public void AFrameAtTheLimitIsAcceptedAndOneByteMoreIsNot()
    {
        var limit = 1000;
        var frame = new byte[RpcFrame.GetFrameSize(limit + 1)];
        RpcFrame.WritePrefix(limit + 1, frame);
        var buffer = new ReadOnlySequence<byte>(frame);
        Assert.Equal(OperationStatus.InvalidData, RpcFrame.TryRead(ref buffer, limit, out _, out var error));
        Assert.Equal(RpcError.FrameTooLarge, error);
        buffer = new ReadOnlySequence<byte>(frame);
        Assert.Equal(OperationStatus.Done, RpcFrame.TryRead(ref buffer, limit + 1, out var rpc, out _));
        Assert.Equal(limit + 1, rpc.Length);
    }

    [Fact]
    public void BuilderSizesMatchWhatItWritesForLargeControlRpcs()
    {
        var builder = new RpcBuilder();
        builder.AddIHave("topic"u8.ToArray());
        for (var i = 0; i < 5000; i++)
            builder.AddIHaveId(BitConverter.GetBytes(i).Concat(new byte[40]).ToArray());
        builder.AddPrune("topic"u8.ToArray(), 60);
        builder.AddPrunePeer(new byte[38], new byte[200]);
        var frame = new byte[builder.FrameSize];
        Assert.Equal(frame.Length, builder.WriteFrame(frame));
        var view = RpcView.FromFrame(frame);
        Assert.Equal(5000, view.IHaves.Single().Ids.Count);
        Assert.Equal(("topic", (ulong?)60, 1), view.Prunes.Single());
    }
}
