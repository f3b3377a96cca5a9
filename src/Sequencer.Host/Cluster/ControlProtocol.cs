using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Sequencer.Core.Primitives;

namespace Sequencer.Host.Cluster;

/// <summary>
/// The cluster's side of the control protocol (NODE.md §2): one JSON object per line each way, read with
/// <see cref="Utf8JsonReader"/> and written with <see cref="Utf8JsonWriter"/> (no reflection, so it runs under Native
/// AOT). Parsing is strict about what an event needs and lenient about the rest: properties may come in any order,
/// unknown properties and unknown events are ignored, so a node one version ahead still drives this cluster.
/// </summary>
internal static class ControlProtocol
{
    /// <summary>The longest line accepted from a node; far above any real event (a committee lists at most 23 indices).</summary>
    public const int MaxLineLength = 64 * 1024;

    private static readonly JsonReaderOptions s_readerOptions = new() { MaxDepth = 4 };

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses one line (without its newline).</summary>
    /// <exception cref="ControlProtocolException">The line is not a JSON object or lacks a field its event needs.</exception>
    public static ControlEvent ParseEvent(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaxLineLength)
            throw new ControlProtocolException($"a control line of {line.Length} bytes, at most {MaxLineLength}");
        try
        {
            var fields = ReadFields(line);
            return fields.Event switch
            {
                null => throw new ControlProtocolException("the object has no \"event\" property"),
                "ready" => new ReadyEvent(fields.Int("index"), fields.Text("peerId"), fields.Addresses ?? throw Missing("addrs"),
                    fields.Int("metricsPort"), fields.Int("pid")),
                "peers" => new PeersEvent(fields.Int("connected")),
                "committee" => new CommitteeEvent(fields.Height(), fields.Hex("block"),
                    fields.Main ?? throw Missing("main"), fields.Backups ?? throw Missing("backups")),
                "outcome" => new OutcomeEvent(fields.Height(), fields.Hex("block"), ParseOutcome(fields.Text("outcome")),
                    fields.LatencyMs ?? throw Missing("latencyMs"), fields.Signers, fields.Diagnosis),
                "certificate" => new CertificateEvent(fields.Height(), fields.Hex("block"), fields.Text("value")),
                "signed" => new SignedEvent(fields.Text("kind"), fields.Int("signer"), fields.Height(), fields.Hex("block"),
                    fields.Text("value"), fields.Hex("digest")),
                "decision" => new DecisionEvent(fields.Height(), ParseDecision(fields.Text("state")), fields.OptionalHex("block")),
                "error" => new ErrorEvent(fields.Text("message")),
                "stopped" => new StoppedEvent(fields.Text("reason")),
                var name => new UnknownEvent(name),
            };
        }
        catch (JsonException error)
        {
            throw new ControlProtocolException($"not a JSON object: {error.Message}");
        }
        catch (InvalidOperationException error)
        {
            // Utf8JsonReader's typed getters throw this for a value of the wrong JSON type or invalid UTF-8.
            throw new ControlProtocolException($"a value of the wrong type: {error.Message}");
        }
    }

    /// <summary><c>{"cmd":"propose","height":…,"parent":"…","block":"…"}</c> and a newline.</summary>
    public static void WritePropose(IBufferWriter<byte> output, ulong height, in Hash32 parent, in Hash32 block)
    {
        var parentHex = parent.ToString();
        var blockHex = block.ToString();
        WriteLine(output, json =>
        {
            json.WriteString("cmd", "propose");
            json.WriteNumber("height", height);
            json.WriteString("parent", parentHex);
            json.WriteString("block", blockHex);
        });
    }

    /// <summary><c>{"cmd":"decision","height":…}</c> and a newline.</summary>
    public static void WriteDecisionQuery(IBufferWriter<byte> output, ulong height) =>
        WriteLine(output, json =>
        {
            json.WriteString("cmd", "decision");
            json.WriteNumber("height", height);
        });

    /// <summary><c>{"cmd":"stop"}</c> and a newline.</summary>
    public static void WriteStop(IBufferWriter<byte> output) => WriteLine(output, json => json.WriteString("cmd", "stop"));

    private static void WriteLine(IBufferWriter<byte> output, Action<Utf8JsonWriter> properties)
    {
        using (var json = new Utf8JsonWriter(output, s_writerOptions))
        {
            json.WriteStartObject();
            properties(json);
            json.WriteEndObject();
        }
        output.Write("\n"u8);
    }

    private static RoundOutcomeKind ParseOutcome(string text) => text switch
    {
        "accepted" => RoundOutcomeKind.Accepted,
        "rejected" => RoundOutcomeKind.Rejected,
        "timedOut" => RoundOutcomeKind.TimedOut,
        _ => throw new ControlProtocolException($"outcome \"{text}\" is none of accepted, rejected, timedOut"),
    };

    private static NodeDecision ParseDecision(string text) => text switch
    {
        "accepted" => NodeDecision.Accepted,
        "rejected" => NodeDecision.Rejected,
        "timedOut" => NodeDecision.TimedOut,
        "pending" => NodeDecision.Pending,
        "unknown" => NodeDecision.Unknown,
        _ => throw new ControlProtocolException($"decision state \"{text}\" is none of accepted, rejected, timedOut, pending, unknown"),
    };

    private static ControlProtocolException Missing(string name) =>
        new($"the event lacks its \"{name}\" property");

    /// <summary>Every property of one line that some event uses, read in one pass.</summary>
    private static EventFields ReadFields(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, s_readerOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new ControlProtocolException("a control line must be one JSON object");
        var fields = new EventFields();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            switch (name)
            {
                case "event": fields.Event = reader.GetString(); break;
                case "addrs": fields.Addresses = ReadStrings(ref reader); break;
                case "main": fields.Main = ReadIntegers(ref reader); break;
                case "backups": fields.Backups = ReadIntegers(ref reader); break;
                case "latencyMs": fields.LatencyMs = reader.GetDouble(); break;
                case "signers":
                    // A count, or the signers' indices: either way the cluster wants how many.
                    fields.Signers = reader.TokenType == JsonTokenType.StartArray ? ReadIntegers(ref reader).Count : reader.GetInt32();
                    break;
                case "diagnosis": fields.Diagnosis = reader.TokenType == JsonTokenType.String ? reader.GetString() : SkipAndKeepRaw(ref reader, line); break;
                default:
                    if (reader.TokenType is JsonTokenType.String)
                        fields.Strings[name] = reader.GetString()!;
                    else if (reader.TokenType is JsonTokenType.Number)
                        fields.Numbers[name] = reader.ValueSpan.ToArray();
                    else
                        reader.Skip();
                    break;
            }
        }
        if (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != 0)
            throw new ControlProtocolException("a control line must be one JSON object");
        if (reader.Read())
            throw new ControlProtocolException("a control line holds one JSON object and nothing after it");
        return fields;
    }

    private static List<string> ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new ControlProtocolException("expected an array of strings");
        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            values.Add(reader.GetString()!);
        return values;
    }

    private static List<int> ReadIntegers(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new ControlProtocolException("expected an array of integers");
        var values = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            values.Add(reader.GetInt32());
        return values;
    }

    /// <summary>A diagnosis given as an object rather than text: kept as its raw JSON.</summary>
    private static string SkipAndKeepRaw(ref Utf8JsonReader reader, ReadOnlySpan<byte> line)
    {
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Encoding.UTF8.GetString(line[start..(int)reader.BytesConsumed]);
    }

    private sealed class EventFields
    {
        public string? Event;
        public List<string>? Addresses;
        public List<int>? Main;
        public List<int>? Backups;
        public double? LatencyMs;
        public int? Signers;
        public string? Diagnosis;
        public readonly Dictionary<string, string> Strings = [];
        public readonly Dictionary<string, byte[]> Numbers = [];

        public string Text(string name) => Strings.TryGetValue(name, out var value) ? value : throw Missing(name);

        public string Hex(string name)
        {
            var text = Text(name);
            if (text.Length == 0 || text.Length % 2 != 0 || !IsHex(text))
                throw new ControlProtocolException($"\"{name}\" is not hexadecimal: \"{text}\"");
            return text.ToLowerInvariant();
        }

        public string? OptionalHex(string name) => Strings.ContainsKey(name) ? Hex(name) : null;

        public int Int(string name)
        {
            var raw = Numbers.TryGetValue(name, out var value) ? value : throw Missing(name);
            return System.Buffers.Text.Utf8Parser.TryParse(raw, out int result, out var consumed) && consumed == raw.Length
                ? result
                : throw new ControlProtocolException($"\"{name}\" is not a 32-bit integer: {Encoding.UTF8.GetString(raw)}");
        }

        public ulong Height()
        {
            var raw = Numbers.TryGetValue("height", out var value) ? value : throw Missing("height");
            return System.Buffers.Text.Utf8Parser.TryParse(raw, out ulong result, out var consumed) && consumed == raw.Length
                ? result
                : throw new ControlProtocolException($"\"height\" is not an unsigned 64-bit integer: {Encoding.UTF8.GetString(raw)}");
        }

        private static bool IsHex(string text)
        {
            foreach (var c in text)
            {
                if (!char.IsAsciiHexDigit(c))
                    return false;
            }
            return true;
        }
    }
}
