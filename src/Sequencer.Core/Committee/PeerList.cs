using System.Collections.Immutable;
using Sequencer.Core.Validators;

namespace Sequencer.Core.Committee;

/// <summary>
/// A committee as the original module named it: the main buddies that serve the round and the ordered backups that
/// may replace them. From <see cref="CommitteeSeats.PeerList"/> (as drawn) or <see cref="EffectiveCommittee.PeerList"/>
/// (after replacements: the serving members, and the backups not yet used).
/// </summary>
public sealed record PeerList(ImmutableArray<ValidatorInfo> MainPeers, ImmutableArray<ValidatorInfo> BackupPeers);
