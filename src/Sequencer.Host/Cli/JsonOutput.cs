using System.Text.Json;

namespace Sequencer.Host.Cli;

/// <summary>Results go to stdout as one JSON object per line so scripts can read them; nothing else goes there.</summary>
internal static class JsonOutput
{
    public static void WriteObject(Action<Utf8JsonWriter> writeProperties)
    {
        using var stdout = Console.OpenStandardOutput();
        using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = false }))
        {
            writer.WriteStartObject();
            writeProperties(writer);
            writer.WriteEndObject();
        }
        stdout.WriteByte((byte)'\n');
    }
}
