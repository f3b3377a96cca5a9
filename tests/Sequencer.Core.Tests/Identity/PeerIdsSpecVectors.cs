namespace Sequencer.Core.Tests.Identity;

/// <summary>The key vectors of the libp2p peer-ids spec, from Data/peer-ids-spec-keys.txt.</summary>
internal static class PeerIdsSpecVectors
{
    private static readonly Dictionary<string, byte[]> s_vectors = Load();

    public static byte[] Get(string name) => (byte[])s_vectors[name].Clone();

    private static Dictionary<string, byte[]> Load()
    {
        var vectors = new Dictionary<string, byte[]>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "peer-ids-spec-keys.txt")))
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var parts = line.Split(' ');
            vectors.Add(parts[0], Convert.FromHexString(parts[1]));
        }
        return vectors;
    }
}
