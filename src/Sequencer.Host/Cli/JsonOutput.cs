using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sequencer.Host.Cli;

/// <summary>
/// Results go to stdout as one JSON object per line so scripts can read them; nothing else goes there. Relaxed escaping
/// keeps values such as "0.1.0+abc" readable: the output is read by programs and people, never embedded in HTML.
/// </summary>
internal static class JsonOutput
{
    public static void WriteObject(Action<Utf8JsonWriter> writeProperties)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }
}
