using System.Globalization;
using System.Text.RegularExpressions;

namespace Sequencer.Host.Tests.Metrics;

/// <summary>
/// A strict reader of the Prometheus text format 0.0.4 for the tests: every line is a HELP, a TYPE or a sample of the
/// family most recently typed, and every family has HELP before TYPE before its samples.
/// </summary>
internal sealed partial class Exposition
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, double> Samples => _samples;

    public double this[string series] => _samples[series];

    public static Exposition Parse(string text)
    {
        var exposition = new Exposition();
        Assert.EndsWith("\n", text);
        string? family = null;
        string? helped = null;
        foreach (var line in text[..^1].Split('\n'))
        {
            if (HelpLine().Match(line) is { Success: true } help)
            {
                helped = help.Groups[1].Value;
                continue;
            }
            if (TypeLine().Match(line) is { Success: true } type)
            {
                family = type.Groups[1].Value;
                Assert.Equal(helped, family);
                Assert.True(exposition.Types.TryAdd(family, type.Groups[2].Value), $"family {family} typed twice");
                continue;
            }
            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"not a sample line: '{line}'");
            Assert.NotNull(family);
            var name = sample.Groups[1].Value;
            Assert.True(name == family || name.StartsWith(family + "_", StringComparison.Ordinal), $"{name} outside family {family}");
            var series = name + sample.Groups[2].Value;
            var value = sample.Groups[3].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var number => double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            Assert.True(exposition._samples.TryAdd(series, value), $"series {series} appears twice");
        }
        return exposition;
    }

    [GeneratedRegex(@"^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$")]
    private static partial Regex HelpLine();

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex(@"^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*=""(?:[^""\\\n]|\\.)*""\})? (\S+)$")]
    private static partial Regex SampleLine();
}
