using System.Text.Json;

namespace Sequencer.Interop.Tests.Harness;

/// <summary>One JSON event line a node printed (<c>{"event":"message","topic":…,"from":…,"data":…}</c> and the like).</summary>
internal sealed class PeerEvent
{
    private readonly JsonElement _json;

    private PeerEvent(string line, JsonElement json, string kind)
    {
        Line = line;
        _json = json;
        Kind = kind;
    }

    /// <summary>The <c>event</c> field: ready, connected, disconnected, message, ping, error.</summary>
    public string Kind { get; }

    public string Line { get; }

    /// <summary>Parses a stdout line; null when it is not a JSON object with a string <c>event</c>.</summary>
    public static PeerEvent? TryParse(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("event", out var kind) || kind.ValueKind != JsonValueKind.String)
                return null;
            return new PeerEvent(line, root.Clone(), kind.GetString()!);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public string? String(string name) =>
        _json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public bool? Boolean(string name) =>
        _json.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    public IReadOnlyList<string> Strings(string name) =>
        _json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? [.. value.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!)]
            : [];

    /// <summary>A message event's <c>data</c> hex carries exactly <paramref name="text"/>'s UTF-8 bytes.</summary>
    public bool CarriesText(string text) =>
        Kind == "message" && string.Equals(String("data"), Convert.ToHexString(System.Text.Encoding.UTF8.GetBytes(text)), StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Line;
}
