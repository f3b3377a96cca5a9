using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Sequencer.Core.Consensus;
using Sequencer.Core.Primitives;
using Sequencer.Host.Configuration;
using Sequencer.Host.Logging;

namespace Sequencer.Host.Tests.Logging;

public sealed class LoggerTests
{
    private static readonly DateTimeOffset s_now = new(2026, 11, 24, 3, 30, 0, 123, TimeSpan.Zero);

    private static RoundId Round()
    {
        var hash = new byte[32];
        for (var index = 0; index < hash.Length; index++)
            hash[index] = (byte)(0x10 + index);
        return new RoundId(7, 42, Hash32.FromSpan(hash));
    }

    private static (Logger Logger, MemoryStream Output) Create(LogFormat format, LogLevel minimum = LogLevel.Info)
    {
        var output = new MemoryStream();
        return (new Logger(output, format, minimum, new FakeTimeProvider(s_now)), output);
    }

    private static void LogDecided(Logger logger) =>
        logger.At(LogLevel.Info, "round decided")
            .Round(Round())
            .Role(RoundRoles.Sequencer)
            .Peer("12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns")
            .Field("outcome", "Accepted")
            .Field("latency_ms", 31)
            .Write();

    [Fact]
    public void TextLineCarriesTimeLevelMessageAndFields()
    {
        var (logger, output) = Create(LogFormat.Text);
        LogDecided(logger);
        Assert.Equal(
            "2026-11-24T03:30:00.123Z INFO  round decided height=42 round=1011121314151617 role=sequencer "
            + "peer=12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns outcome=Accepted latency_ms=31\n",
            Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void JsonLineHasTheSameFieldsTyped()
    {
        var (logger, output) = Create(LogFormat.Json);
        LogDecided(logger);
        var text = Encoding.UTF8.GetString(output.ToArray());
        Assert.EndsWith("}\n", text);
        Assert.Single(text.TrimEnd('\n').Split('\n'));
        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal("2026-11-24T03:30:00.123Z", root.GetProperty("time").GetString());
        Assert.Equal("info", root.GetProperty("level").GetString());
        Assert.Equal("round decided", root.GetProperty("msg").GetString());
        Assert.Equal(42, root.GetProperty("height").GetInt64());
        Assert.Equal("1011121314151617", root.GetProperty("round").GetString());
        Assert.Equal("sequencer", root.GetProperty("role").GetString());
        Assert.Equal(31, root.GetProperty("latency_ms").GetInt64());
    }

    [Fact]
    public void TextValuesThatWouldBreakKeyValueSplittingAreQuoted()
    {
        var (logger, output) = Create(LogFormat.Text);
        logger.At(LogLevel.Warn, "x").Field("a", "two words").Field("b", "k=v").Field("c", "say \"hi\"\n").Field("d", "").Field("e", true).Write();
        Assert.EndsWith(" WARN  x a=\"two words\" b=\"k=v\" c=\"say \\\"hi\\\"\\n\" d=\"\" e=true\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void EntriesBelowTheMinimumWriteNothing()
    {
        var (logger, output) = Create(LogFormat.Text, LogLevel.Warn);
        logger.At(LogLevel.Info, "quiet").Height(1).Field("x", "y").Write();
        Assert.Equal(0, output.Length);
        Assert.False(logger.IsEnabled(LogLevel.Debug));
        logger.Error("loud", new InvalidOperationException("bad thing"));
        Assert.EndsWith("ERROR loud error=\"InvalidOperationException: bad thing\"\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public void CombinedRolesAndJsonEscapingStayParseable()
    {
        var (logger, output) = Create(LogFormat.Json, LogLevel.Trace);
        logger.At(LogLevel.Trace, "m \"q\"").Role(RoundRoles.Buddy | RoundRoles.Voter).Field("s", "\u0001").Field("n", (string?)null).Write();
        logger.At(LogLevel.Debug, "second").Field("f", 1.5).Write();
        var lines = Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal("buddy+voter", first.RootElement.GetProperty("role").GetString());
        Assert.Equal("m \"q\"", first.RootElement.GetProperty("msg").GetString());
        Assert.Equal("\u0001", first.RootElement.GetProperty("s").GetString());
        Assert.Equal(JsonValueKind.Null, first.RootElement.GetProperty("n").ValueKind);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(1.5, second.RootElement.GetProperty("f").GetDouble());
    }

    [Fact]
    public void ConcurrentWritersNeverInterleaveLines()
    {
        var (logger, output) = Create(LogFormat.Json);
        Parallel.For(0, 2000, index => logger.At(LogLevel.Info, "tick").Field("i", index).Field("pad", new string('x', index % 300)).Write());
        var lines = Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n').Split('\n');
        Assert.Equal(2000, lines.Length);
        var seen = new HashSet<long>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.True(seen.Add(json.RootElement.GetProperty("i").GetInt64()));
        }
    }
}
