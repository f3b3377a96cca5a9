namespace Sequencer.Core.Safety;

/// <summary>
/// The simulation's <see cref="ISafetyStore"/>: same tables and window as <see cref="FileSafetyStore"/>, no disk.
/// With no page cache to lose, "durable" means "the save call completed": a simulated node that crashes keeps this
/// object (its disk) and drops everything else, and a restarted node builds a new <see cref="SafetyRules"/> over it.
/// <see cref="ArmCrash"/> makes the next save die part-way, on one side or the other of the durable point. Not
/// thread-safe: one node's event loop owns it.
/// </summary>
public sealed class InMemorySafetyStore(int retainedHeights = FileSafetyStore.DefaultRetainedHeights) : ISafetyStore
{
    private readonly SafetyRecordTable _votes = new();
    private readonly SafetyRecordTable _attestations = new();
    private SafetyCrashPoint? _armedCrash;

    public int RetainedHeights { get; } = retainedHeights > 0
        ? retainedHeights
        : throw new ArgumentOutOfRangeException(nameof(retainedHeights), retainedHeights, "must be positive");

    /// <summary>Saves that completed (became durable).</summary>
    public int SaveCount { get; private set; }

    /// <summary>The next <see cref="Save"/> throws <see cref="SimulatedCrashException"/> at <paramref name="point"/>.</summary>
    public void ArmCrash(SafetyCrashPoint point) => _armedCrash = point;

    public SafetyLookup Find(SafetyRecordKind kind, ulong chainId, ulong height) => TableOf(kind).Find(chainId, height);

    public void Save(SafetyRecordKind kind, in SafetyRecord record)
    {
        var crash = _armedCrash;
        _armedCrash = null;
        if (crash == SafetyCrashPoint.BeforeDurable)
            throw new SimulatedCrashException(SafetyCrashPoint.BeforeDurable);
        TableOf(kind).Add(record, RetainedHeights);
        SaveCount++;
        if (crash == SafetyCrashPoint.AfterDurable)
            throw new SimulatedCrashException(SafetyCrashPoint.AfterDurable);
    }

    private SafetyRecordTable TableOf(SafetyRecordKind kind) => kind switch
    {
        SafetyRecordKind.Vote => _votes,
        SafetyRecordKind.Attestation => _attestations,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a safety record kind"),
    };
}
