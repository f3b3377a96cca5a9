namespace Sequencer.Host.Cluster;

/// <summary>
/// The safety check over every <c>signed</c> event the nodes report (NODE.md §3): a validator that signed two different
/// digests of one kind (vote or attestation) at one height is a double-signer. Honest validators never are (DESIGN §3,
/// §6: the record is durable before the signature leaves, across restarts); the cluster's Byzantine nodes must be.
/// Many nodes report the same signature (every buddy that verified it), so the scan keys by what was signed, not by who
/// reported it. Thread-safe: every node's reader adds to it.
/// </summary>
internal sealed class DoubleSigningScan
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Kind, int Signer, ulong Height), string> _firstDigest = [];
    private readonly SortedDictionary<int, Evidence> _doubleSigners = [];
    private long _events;

    /// <summary>A double-signer's first conflict: the two digests it signed for one kind at one height.</summary>
    public sealed record Evidence(int Signer, string Kind, ulong Height, string FirstDigest, string SecondDigest);

    /// <summary>How many <c>signed</c> events were scanned.</summary>
    public long Events
    {
        get
        {
            lock (_gate)
                return _events;
        }
    }

    /// <summary>Distinct (kind, signer, height) triples seen: how many signing decisions the scan covers.</summary>
    public int Signatures
    {
        get
        {
            lock (_gate)
                return _firstDigest.Count;
        }
    }

    public void Add(SignedEvent signed)
    {
        lock (_gate)
        {
            _events++;
            var key = (signed.Kind, signed.Signer, signed.Height);
            if (!_firstDigest.TryAdd(key, signed.Digest) && _firstDigest[key] != signed.Digest && !_doubleSigners.ContainsKey(signed.Signer))
                _doubleSigners.Add(signed.Signer, new Evidence(signed.Signer, signed.Kind, signed.Height, _firstDigest[key], signed.Digest));
        }
    }

    /// <summary>Every double-signer found, in validator index order, with its first conflict.</summary>
    public IReadOnlyList<Evidence> DoubleSigners()
    {
        lock (_gate)
            return [.. _doubleSigners.Values];
    }
}
