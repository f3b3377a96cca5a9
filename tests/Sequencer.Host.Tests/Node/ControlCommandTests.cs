using System.Buffers;
using System.Text;
using Sequencer.Host.Node;

namespace Sequencer.Host.Tests.Node;

public sealed class ControlCommandTests
{
    [Fact]
    public void A_well_formed_decision_command_parses()
    {
        Assert.True(ControlCommand.TryParse(Line("{\"cmd\":\"decision\",\"height\":7}"u8.ToArray()), out var command, out var error), error);
        Assert.Equal(ControlCommandKind.Decision, command.Kind);
        Assert.Equal(7UL, command.Height);
    }

    [Theory]
    [InlineData("{\"cmd\":\"\xFF\"}")]
    [InlineData("{\"\xC3\":1}")]
    [InlineData("{\"cmd\":\"decision\",\"x\xFE\":1}")]
    public void Invalid_utf8_is_an_error_not_an_exception(string latin1)
    {
        // Each char stands for one byte, so the line carries bytes that are not UTF-8 (a stray binary write on stdin).
        var bytes = Encoding.Latin1.GetBytes(latin1);
        Assert.False(ControlCommand.TryParse(Line(bytes), out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void A_propose_whose_hashes_straddle_buffer_segments_parses()
    {
        // The stdin reader hands a line over as it lies in the pipe's buffer segments; a hash split between two must
        // parse like one in a single segment.
        var parent = new string('a', 64);
        var block = new string('b', 64);
        var text = Encoding.UTF8.GetBytes($"{{\"cmd\":\"propose\",\"height\":3,\"parent\":\"{parent}\",\"block\":\"{block}\"}}");
        for (var split = 1; split < text.Length; split++)
        {
            Assert.True(ControlCommand.TryParse(TwoSegments(text, split), out var command, out var error), $"split at {split}: {error}");
            Assert.Equal(ControlCommandKind.Propose, command.Kind);
            Assert.Equal(3UL, command.Height);
            Assert.Equal(parent, command.Parent.ToString());
            Assert.Equal(block, command.Block.ToString());
        }
    }

    private static ReadOnlySequence<byte> Line(byte[] bytes) => new(bytes);

    private static ReadOnlySequence<byte> TwoSegments(byte[] bytes, int split)
    {
        var first = new Segment(bytes.AsMemory(0, split), 0);
        var second = new Segment(bytes.AsMemory(split), split);
        first.Next = second;
        return new ReadOnlySequence<byte>(first, 0, second, second.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public new Segment? Next
        {
            set => base.Next = value;
        }
    }
}
