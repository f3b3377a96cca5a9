using System.Text.Json;

namespace Sequencer.Core.Tests.Vrf;

/// <summary>
/// The published SECP256K1_SHA256_TAI vectors in Data/ecvrf-secp256k1-sha256-tai.json (witnet/vrf-rs and the
/// vrf-rs-generated vectors of witnet/vrf-solidity; the file's "_comment" says exactly where each comes from).
/// Theories take a vector's "source" (unique in the file) as their one argument, so every vector is its own test
/// case and a failure names the published line it broke.
/// </summary>
internal static class VrfVectors
{
    private static readonly Lazy<JsonDocument> s_document = new(() =>
        JsonDocument.Parse(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Data", "ecvrf-secp256k1-sha256-tai.json"))));

    public static IEnumerable<JsonElement> Section(string name) => s_document.Value.RootElement.GetProperty(name).EnumerateArray();

    public static TheoryData<string> Sources(string section, Func<JsonElement, bool>? where = null)
    {
        var sources = new TheoryData<string>();
        foreach (var vector in Section(section))
        {
            if (where is null || where(vector))
                sources.Add(vector.GetProperty("source").GetString()!);
        }
        return sources;
    }

    public static JsonElement Find(string section, string source) =>
        Section(section).Single(vector => vector.GetProperty("source").GetString() == source);

    public static byte[] Bytes(this JsonElement vector, string property) => Convert.FromHexString(vector.GetProperty(property).GetString()!);

    public static byte[]? OptionalBytes(this JsonElement vector, string property) =>
        vector.TryGetProperty(property, out var value) ? Convert.FromHexString(value.GetString()!) : null;

    public static bool Flag(this JsonElement vector, string property) =>
        vector.TryGetProperty(property, out var value) && value.GetBoolean();
}
