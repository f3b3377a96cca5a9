using System.Buffers;
using System.Globalization;
using System.Text;

namespace Sequencer.Host.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format 0.0.4: <c># HELP</c> and <c># TYPE</c> lines, then one
/// <c>name{label="value"} number</c> line per series, UTF-8, '\n' line ends.
/// </summary>
internal sealed class ExpositionWriter(IBufferWriter<byte> output)
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public void WriteHeader(string name, string type, string help)
    {
        Append("# HELP ");
        Append(name);
        Append(" ");
        // HELP text escapes only backslash and line feed.
        Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
        Append("\n# TYPE ");
        Append(name);
        Append(" ");
        Append(type);
        Append("\n");
    }

    /// <summary>One sample; <paramref name="labelName"/> null for a series without labels.</summary>
    public void WriteSample(string name, string? labelName, string? labelValue, double value)
    {
        Append(name);
        if (labelName is not null)
        {
            Append("{");
            Append(labelName);
            Append("=\"");
            Append(labelValue!.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal));
            Append("\"}");
        }
        Append(" ");
        Append(FormatValue(value));
        Append("\n");
    }

    public static string FormatValue(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private void Append(string text)
    {
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }
}
