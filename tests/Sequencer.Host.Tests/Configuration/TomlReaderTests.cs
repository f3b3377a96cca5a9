using Sequencer.Host.Configuration;

namespace Sequencer.Host.Tests.Configuration;

public sealed class TomlReaderTests
{
    [Fact]
    public void ReadsEveryAcceptedKindWithItsLocation()
    {
        const string text = """
            # a comment
            name = "a \"quoted\" \u00e9 \\ value"   # trailing comment
            path = 'C:\raw'
            count = -1_000
            zero = 0
            on = true

            [table]
            list = [
              "one", # first
              'two',
            ]
            empty = []
            """;
        var entries = TomlReader.Parse(text, "t.toml");

        Assert.Equal(["name", "path", "count", "zero", "on", "table.list", "table.empty"], entries.Select(e => e.Key));
        Assert.Equal("a \"quoted\" é \\ value", entries[0].Value.String);
        Assert.Equal((2, 8), (entries[0].Value.Line, entries[0].Value.Column));
        Assert.Equal(@"C:\raw", entries[1].Value.String);
        Assert.Equal(-1000, entries[2].Value.Integer);
        Assert.Equal(0, entries[3].Value.Integer);
        Assert.True(entries[4].Value.Boolean);
        Assert.Equal(["one", "two"], entries[5].Value.Strings!);
        Assert.Equal((9, 8), (entries[5].Value.Line, entries[5].Value.Column));
        Assert.Empty(entries[6].Value.Strings!);
    }

    [Theory]
    [InlineData("a = 1\na = 2", 2, 1, "defined twice")]
    [InlineData("[t]\nx = 1\n[t]", 3, 1, "defined twice")]
    [InlineData("a = 1.5", 1, 5, "not a supported value")]
    [InlineData("a = 007", 1, 5, "leading zeros")]
    [InlineData("a = 99999999999999999999", 1, 5, "64-bit")]
    [InlineData("a = \"open", 1, 10, "unterminated string")]
    [InlineData("a = \"\\q\"", 1, 7, "unknown escape")]
    [InlineData("a = \"\"\"x\"\"\"", 1, 5, "multi-line")]
    [InlineData("a.b = 1", 1, 2, "dotted keys")]
    [InlineData("\"a\" = 1", 1, 1, "quoted keys")]
    [InlineData("a = {b = 1}", 1, 5, "inline tables")]
    [InlineData("[[t]]", 1, 2, "arrays of tables")]
    [InlineData("a = 1 b = 2", 1, 7, "one key or table per line")]
    [InlineData("a = [1, 2]", 1, 6, "strings only")]
    [InlineData("a = [\"x\"", 1, 9, "unterminated array")]
    [InlineData("a = \"x\" \"y\"", 1, 9, "one key or table per line")]
    [InlineData("a =", 1, 4, "expected a value")]
    [InlineData("a 1", 1, 3, "'='")]
    [InlineData("a = 1979-05-27", 1, 5, "not a supported value")]
    [InlineData("a = \"tab\u0001\"", 1, 9, "control character")]
    [InlineData("a = 1\rb = 2", 1, 6, "carriage return")]
    public void RefusesWithLineAndColumn(string text, int line, int column, string problem)
    {
        var error = Assert.Throws<TomlFormatException>(() => TomlReader.Parse(text, "bad.toml"));
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(problem, error.Problem);
        Assert.StartsWith($"bad.toml:{line}:{column}: ", error.Message);
    }

    [Fact]
    public void AcceptsCrLfAndAByteOrderMark()
    {
        var entries = TomlReader.Parse("\uFEFFa = 1\r\n[t]\r\nb = \"x\"\r\n", "t.toml");
        Assert.Equal(["a", "t.b"], entries.Select(e => e.Key));
        Assert.Equal((3, 5), (entries[1].Value.Line, entries[1].Value.Column));
    }
}
