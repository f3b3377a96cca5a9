using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Sequencer.Core.Consensus;
using Sequencer.Core.Primitives;

namespace Sequencer.Host.Logging;

/// <summary>
/// One log line being built (see <see cref="Logger.At"/>). A default entry (level disabled) ignores every call.
/// Field names are lower_snake_case and written as given; text values with spaces, quotes, '=' or control characters
/// are quoted and escaped (JSON string rules) so a text line still splits unambiguously into key=value pairs.
/// </summary>
internal ref struct LogEntry
{
    /// <summary>How many leading bytes of a round's block hash name the round in logs: enough to tell attempts apart.</summary>
    public const int RoundHashBytes = 8;

    private readonly Logger? _logger;
    private readonly ArrayBufferWriter<byte>? _buffer;
    private readonly Utf8JsonWriter? _json;

    internal LogEntry(Logger logger, ArrayBufferWriter<byte> buffer, Utf8JsonWriter? json)
    {
        _logger = logger;
        _buffer = buffer;
        _json = json;
    }

    private readonly ArrayBufferWriter<byte> Buffer => _buffer!;

    internal readonly void Begin(DateTime utc, LogLevel level, string message)
    {
        Span<byte> time = stackalloc byte[32];
        utc.TryFormat(time, out var length, "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'", CultureInfo.InvariantCulture);
        time = time[..length];
        if (_json is not null)
        {
            _json.WriteStartObject();
            _json.WriteString("time"u8, time);
            _json.WriteString("level"u8, JsonLevel(level));
            _json.WriteString("msg"u8, message);
            return;
        }
        Buffer.Write(time);
        Buffer.Write(" "u8);
        Buffer.Write(TextLevel(level));
        Buffer.Write(" "u8);
        WriteUtf8(message);
    }

    public readonly LogEntry Height(ulong height) => Field("height", height);

    /// <summary>The round's height and, as <c>round</c>, the first bytes of its block hash in hex.</summary>
    public readonly LogEntry Round(in RoundId round)
    {
        if (_logger is null)
            return this;
        Height(round.Height);
        Span<byte> hex = stackalloc byte[RoundHashBytes * 2];
        var hash = round.BlockHash.AsReadOnlySpan()[..RoundHashBytes];
        for (var index = 0; index < hash.Length; index++)
        {
            hex[2 * index] = (byte)"0123456789abcdef"[hash[index] >> 4];
            hex[2 * index + 1] = (byte)"0123456789abcdef"[hash[index] & 0xF];
        }
        return RawString("round"u8, hex);
    }

    public readonly LogEntry Role(RoundRoles roles)
    {
        if (_logger is null)
            return this;
        // The common single roles without allocating; combinations are rare enough to format.
        return roles switch
        {
            RoundRoles.Sequencer => RawString("role"u8, "sequencer"u8),
            RoundRoles.Buddy => RawString("role"u8, "buddy"u8),
            RoundRoles.Voter => RawString("role"u8, "voter"u8),
            _ => Field("role", roles.ToString().ToLowerInvariant().Replace(", ", "+", StringComparison.Ordinal)),
        };
    }

    public readonly LogEntry Peer(string peer) => Field("peer", peer);

    /// <summary>A validator by its directory index.</summary>
    public readonly LogEntry Validator(int index) => Field("validator", index);

    public readonly LogEntry Exception(Exception error) => Field("error", $"{error.GetType().Name}: {error.Message}");

    // Each overload writes its JSON form (a no-op when the entry is disabled or textual, _json being null then) and
    // its text form (a no-op unless the entry is enabled and textual).
    public readonly LogEntry Field(string name, long value)
    {
        _json?.WriteNumber(name, value);
        return TextNumber(name, value, IntegerDigits, default);
    }

    public readonly LogEntry Field(string name, ulong value)
    {
        _json?.WriteNumber(name, value);
        return TextNumber(name, value, IntegerDigits, default);
    }

    public readonly LogEntry Field(string name, double value)
    {
        _json?.WriteNumber(name, value);
        return TextNumber(name, value, 32, "0.###");
    }

    public readonly LogEntry Field(string name, bool value)
    {
        _json?.WriteBoolean(name, value);
        if (IsText)
        {
            WriteKey(name);
            Buffer.Write(value ? "true"u8 : "false"u8);
        }
        return this;
    }

    public readonly LogEntry Field(string name, string? value)
    {
        if (value is null)
            _json?.WriteNull(name);
        else
            _json?.WriteString(name, value);
        if (IsText)
        {
            WriteKey(name);
            WriteTextValue(value ?? "null");
        }
        return this;
    }

    /// <summary>Ends the line and writes it. An entry is written once.</summary>
    public readonly void Write()
    {
        if (_logger is null)
            return;
        if (_json is not null)
        {
            _json.WriteEndObject();
            _json.Flush();
        }
        Buffer.Write("\n"u8);
        _logger.Emit(Buffer.WrittenSpan);
    }

    /// <summary>An ASCII value known to need no quoting or escaping.</summary>
    private readonly LogEntry RawString(scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> value)
    {
        if (_json is not null)
        {
            _json.WriteString(name, value);
            return this;
        }
        Buffer.Write(" "u8);
        Buffer.Write(name);
        Buffer.Write("="u8);
        Buffer.Write(value);
        return this;
    }

    /// <summary>Digits of the longest 64-bit integer, sign included.</summary>
    private const int IntegerDigits = 20;

    private readonly bool IsText => _logger is not null && _json is null;

    /// <summary>
    /// The text form of a number, formatted into the span the buffer gives for <paramref name="sizeHint"/> bytes
    /// (generic over the value type, so nothing is boxed).
    /// </summary>
    private readonly LogEntry TextNumber<T>(string name, T value, int sizeHint, ReadOnlySpan<char> format)
        where T : IUtf8SpanFormattable
    {
        if (!IsText)
            return this;
        WriteKey(name);
        var span = Buffer.GetSpan(sizeHint);
        value.TryFormat(span, out var written, format, CultureInfo.InvariantCulture);
        Buffer.Advance(written);
        return this;
    }

    private readonly void WriteKey(string name)
    {
        Buffer.Write(" "u8);
        WriteUtf8(name);
        Buffer.Write("="u8);
    }

    private readonly void WriteUtf8(string text)
    {
        var span = Buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        Buffer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private readonly void WriteTextValue(string value)
    {
        if (value.Length > 0 && !NeedsQuotes(value))
        {
            WriteUtf8(value);
            return;
        }
        // JSON string escaping is exactly the quoting a text value needs; the encoder is the writer's own.
        Span<byte> quote = [(byte)'"'];
        Buffer.Write(quote);
        var utf8 = Encoding.UTF8.GetBytes(value);
        var maximum = utf8.Length * 6;
        var span = Buffer.GetSpan(maximum);
        System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping.EncodeUtf8(utf8, span, out _, out var written);
        Buffer.Advance(written);
        Buffer.Write(quote);
    }

    private static bool NeedsQuotes(string value)
    {
        foreach (var c in value)
        {
            if (c <= ' ' || c is '"' or '=' or '\\' or '\u007F')
                return true;
        }
        return false;
    }

    private static ReadOnlySpan<byte> TextLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "TRACE"u8,
        LogLevel.Debug => "DEBUG"u8,
        LogLevel.Info => "INFO "u8,
        LogLevel.Warn => "WARN "u8,
        _ => "ERROR"u8,
    };

    private static ReadOnlySpan<byte> JsonLevel(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace"u8,
        LogLevel.Debug => "debug"u8,
        LogLevel.Info => "info"u8,
        LogLevel.Warn => "warn"u8,
        _ => "error"u8,
    };
}
