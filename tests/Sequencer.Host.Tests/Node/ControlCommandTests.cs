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

    private static ReadOnlySequence<byte> Line(byte[] bytes) => new(bytes);
}
