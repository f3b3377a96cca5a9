using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;

namespace Sequencer.Core.Committee;

/// <summary>
/// Committee derivations (<see cref="CommitteeSeats.TryDerive"/>) shared by the nodes of one process. A derivation
/// verifies π and samples the whole directory — about 2 ms with a large one — and every node does it for every round
/// it hears of, so N nodes in one process (the simulation, <c>sequencer cluster</c>) would spend O(N) derivations on
/// one round; with a shared cache they spend one.
/// </summary>
/// <remarks>
/// <para><b>Why sharing is exact.</b> The derivation is a pure function of its inputs: the directory (bound by its
/// hash, which covers every field), the committee size, the sequencer's index, the chain and height, the parent hash
/// and π — exactly the key. So a cached answer, refusals included, is the answer the node would compute alone. The
/// seats handed back are over the caller's own directory instance (re-seated when another node computed them over an
/// equal directory), so nothing of one node's objects leaks into another's rounds.</para>
/// <para><b>Threads.</b> Any number of nodes may ask at once; one lock guards the map (held for a lookup, never during
/// a derivation), and each entry computes once (<see cref="LazyThreadSafetyMode.ExecutionAndPublication"/>): nodes that
/// ask for a derivation in progress wait for it instead of repeating it.</para>
/// <para><b>Bound.</b> At most <see cref="Capacity"/> entries; the oldest entry is dropped first. Rounds arrive in
/// height order and a node needs a height's committee only while that round runs, so insertion order is as good as
/// use order here, and cheaper.</para>
/// </remarks>
public sealed class CommitteeCache
{
    /// <summary>Enough for every round a process runs at once, with room for stragglers and double proposals.</summary>
    public const int DefaultCapacity = 256;

    private readonly Dictionary<Key, Lazy<Derivation>> _entries = [];
    private readonly Queue<Key> _insertionOrder = new();
    private readonly Lock _lock = new();
    private long _hits;
    private long _misses;

    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1.</exception>
    public CommitteeCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    public int Capacity { get; }

    /// <summary>Entries held now.</summary>
    public int Count
    {
        get
        {
            lock (_lock)
                return _entries.Count;
        }
    }

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that derived (each derivation is done once per key while its entry is held).</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>
    /// <see cref="CommitteeSeats.TryDerive"/>, answered from the cache when an equal derivation was made before.
    /// </summary>
    public bool TryDerive(
        ValidatorDirectory directory, CommitteeSize size, int sequencerIndex, ulong chainId, ulong height,
        in Hash32 parentHash, in VrfProofBytes proof,
        [NotNullWhen(true)] out CommitteeSeats? seats, out CommitteeRefusal refusal)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var key = new Key(directory.Hash, size, sequencerIndex, chainId, height, parentHash, proof);
        Lazy<Derivation> entry;
        bool found;
        lock (_lock)
        {
            found = _entries.TryGetValue(key, out entry!);
            if (!found)
            {
                var (parent, pi) = (key.ParentHash, key.Proof);
                entry = new Lazy<Derivation>(() => Derive(directory, size, sequencerIndex, chainId, height, parent, pi),
                    LazyThreadSafetyMode.ExecutionAndPublication);
                if (_entries.Count == Capacity)
                    _entries.Remove(_insertionOrder.Dequeue());
                _entries.Add(key, entry);
                _insertionOrder.Enqueue(key);
            }
        }
        Interlocked.Increment(ref found ? ref _hits : ref _misses);

        var derivation = entry.Value;
        refusal = derivation.Refusal;
        seats = derivation.Seats?.Over(directory);
        return seats is not null;
    }

    /// <summary>Through <paramref name="cache"/> when there is one, else <see cref="CommitteeSeats.TryDerive"/> itself.</summary>
    internal static bool TryDerive(
        CommitteeCache? cache, ValidatorDirectory directory, CommitteeSize size, int sequencerIndex, ulong chainId,
        ulong height, in Hash32 parentHash, in VrfProofBytes proof,
        [NotNullWhen(true)] out CommitteeSeats? seats, out CommitteeRefusal refusal)
    {
        if (cache is null)
            return CommitteeSeats.TryDerive(directory, size, sequencerIndex, chainId, height, parentHash, proof, out seats, out refusal);
        return cache.TryDerive(directory, size, sequencerIndex, chainId, height, parentHash, proof, out seats, out refusal);
    }

    private static Derivation Derive(
        ValidatorDirectory directory, CommitteeSize size, int sequencerIndex, ulong chainId, ulong height,
        Hash32 parentHash, VrfProofBytes proof) =>
        CommitteeSeats.TryDerive(directory, size, sequencerIndex, chainId, height, parentHash, proof, out var seats, out var refusal)
            ? new Derivation(seats, CommitteeRefusal.None)
            : new Derivation(null, refusal);

    private readonly record struct Derivation(CommitteeSeats? Seats, CommitteeRefusal Refusal);

    /// <summary>Everything a derivation depends on (the directory through its hash, which binds every field).</summary>
    private readonly record struct Key(
        Hash32 DirectoryHash, CommitteeSize Size, int SequencerIndex, ulong ChainId, ulong Height, Hash32 ParentHash,
        VrfProofBytes Proof);
}
