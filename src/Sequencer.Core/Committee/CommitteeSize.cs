using Sequencer.Core.Wire;

namespace Sequencer.Core.Committee;

/// <summary>
/// How many validators the VRF draws: <see cref="MainPeers"/> main buddies, then <see cref="BackupPeers"/> ordered
/// backups (DESIGN §2; <c>MaxMainPeers</c>, <c>MaxBackupPeers</c> in the configuration). A consensus rule: nodes that
/// disagree on it derive different committees from the same proof, so every node of a network must use the same
/// values. Bounded by what the wire carries (<see cref="WireLimits"/>).
/// </summary>
public readonly record struct CommitteeSize
{
    /// <summary>13 main buddies and 10 backups.</summary>
    public static CommitteeSize Default => new(WireLimits.MaxMainPeers, WireLimits.MaxBackupPeers);

    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="mainPeers"/> is not in 1 … 13 or <paramref name="backupPeers"/> not in 0 … 10.
    /// </exception>
    public CommitteeSize(int mainPeers, int backupPeers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(mainPeers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(mainPeers, WireLimits.MaxMainPeers);
        ArgumentOutOfRangeException.ThrowIfNegative(backupPeers);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(backupPeers, WireLimits.MaxBackupPeers);
        MainPeers = mainPeers;
        BackupPeers = backupPeers;
    }

    public int MainPeers { get; }

    public int BackupPeers { get; }

    /// <summary>How many the VRF draws in all.</summary>
    public int Candidates => MainPeers + BackupPeers;

    public override string ToString() => $"{MainPeers} main + {BackupPeers} backup";
}
