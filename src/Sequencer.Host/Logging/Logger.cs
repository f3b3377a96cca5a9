using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sequencer.Host.Configuration;

namespace Sequencer.Host.Logging;

/// <summary>
/// A small structured logger: one line per event on stderr (stdout stays for command results), text for people or
/// JSON lines for collectors.
/// <code>
/// text: 2026-11-24T03:30:00.123Z INFO  round decided height=42 round=9f86d081884c7d65 role=sequencer peer=12D3… outcome=Accepted latency_ms=31
/// json: {"time":"2026-11-24T03:30:00.123Z","level":"info","msg":"round decided","height":42,…}
/// </code>
/// <c>logger.At(LogLevel.Info, "round decided").Round(id).Role(roles).Field("latency_ms", 31).Write()</c> formats into
/// a per-thread buffer (no allocation once warm, unless a value itself is a new string) and writes the finished line
/// with one call under a lock, so lines from different threads never interleave. Below the minimum level the entry is
/// inert and formats nothing.
/// </summary>
internal sealed class Logger
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_json;

    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly Stream _output;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();

    public Logger(Stream output, LogFormat format, LogLevel minimum, TimeProvider time)
    {
        _output = output;
        Format = format;
        Minimum = minimum;
        _time = time;
    }

    /// <summary>A logger on the process's stderr.</summary>
    public static Logger ToStandardError(LogFormat format, LogLevel minimum) =>
        new(Console.OpenStandardError(), format, minimum, TimeProvider.System);

    public LogFormat Format { get; }

    public LogLevel Minimum { get; }

    public bool IsEnabled(LogLevel level) => level >= Minimum;

    /// <summary>Starts an entry; add fields and end with <see cref="LogEntry.Write"/>. Do not log from inside a field's value.</summary>
    public LogEntry At(LogLevel level, string message)
    {
        if (!IsEnabled(level))
            return default;
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(512);
        buffer.ResetWrittenCount();
        Utf8JsonWriter? json = null;
        if (Format == LogFormat.Json)
        {
            json = t_json ??= new Utf8JsonWriter(buffer, s_jsonOptions);
            json.Reset(buffer);
        }
        var entry = new LogEntry(this, buffer, json);
        entry.Begin(_time.GetUtcNow().UtcDateTime, level, message);
        return entry;
    }

    public void Info(string message) => At(LogLevel.Info, message).Write();

    public void Warn(string message) => At(LogLevel.Warn, message).Write();

    public void Error(string message, Exception error) => At(LogLevel.Error, message).Exception(error).Write();

    internal void Emit(ReadOnlySpan<byte> line)
    {
        lock (_gate)
        {
            try
            {
                _output.Write(line);
                _output.Flush();
            }
            catch (IOException)
            {
                // A closed stderr (the operator's pipe went away) must not take the node down with it.
            }
        }
    }
}
