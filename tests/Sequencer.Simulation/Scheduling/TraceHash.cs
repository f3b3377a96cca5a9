namespace Sequencer.Simulation.Scheduling;

/// <summary>
/// A running 64-bit fingerprint of every executed event (time, order, node, kind, payload digest). Two runs with the
/// same fingerprint executed the same events in the same order with the same payloads; it is how a replay proves it is
/// exact. Not cryptographic, and deliberately independent of anything process-specific (string and object hash codes
/// are randomised per process, so they never enter it).
/// </summary>
public struct TraceHash
{
    private const ulong Prime = 0x9E3779B97F4A7C15;

    private ulong _state;

    public readonly ulong Value => _state;

    public void Add(ulong value) => _state = Mix(_state ^ value) + Prime;

    /// <summary>A digest of a payload's bytes, for folding in with <see cref="Add"/>.</summary>
    public static ulong Digest(ReadOnlySpan<byte> bytes)
    {
        // FNV-1a over the bytes, then the mixer for avalanche: cheap, and stable across processes and machines.
        var hash = 0xCBF29CE484222325UL;
        foreach (var b in bytes)
            hash = (hash ^ b) * 0x100000001B3UL;
        return Mix(hash ^ (ulong)bytes.Length);
    }

    /// <summary>A digest of text (scenario names, topics) from its UTF-16 code units.</summary>
    public static ulong Digest(string text)
    {
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
            hash = (hash ^ c) * 0x100000001B3UL;
        return Mix(hash ^ (ulong)text.Length);
    }

    // The SplitMix64 finaliser.
    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }
}
