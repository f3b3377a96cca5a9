using System.Globalization;
using Sequencer.Core.Committee;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Consensus;

/// <summary>
/// The engine's configuration, with the seed's key names (DESIGN §10). <see cref="MaxMainPeers"/> and
/// <see cref="MaxBackupPeers"/> are consensus rules (every node re-derives committees with them, so a network must agree
/// on them); the rest is local timing and naming. <see cref="Validate"/> names the first key that breaks its rule.
/// </summary>
/// <remarks>
/// Every timeout here ends a wait by an event the node reacts to (fail over, pull, give up); none of them is a sleep.
/// The only wait that decides a round's fate is <see cref="ConsensusTimeout"/>, the round's one deadline.
/// </remarks>
public sealed record ConsensusOptions
{
    /// <summary>The longest topic prefix: room for the round suffix within GossipSub's practical topic lengths.</summary>
    public const int MaxTopicPrefixLength = 128;

    public static ConsensusOptions Default { get; } = new();

    /// <summary>Main buddies the VRF draws per round (1 … 13).</summary>
    public int MaxMainPeers { get; init; } = WireLimits.MaxMainPeers;

    /// <summary>Ordered backups drawn after the mains (0 … 10); a backup serves only in place of a main that signed a decline.</summary>
    public int MaxBackupPeers { get; init; } = WireLimits.MaxBackupPeers;

    /// <summary>The round's one deadline, from the moment the sequencer starts it (1 s … 10 min).</summary>
    public TimeSpan ConsensusTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Prefix of the per-round consensus topic (proposal, attestations): the topic is prefix + "/" + round.</summary>
    public string PubSub_ConsensusChannel { get; init; } = "pubsub-consensus";

    /// <summary>Prefix of the per-round CRDT topic (vote-set deltas and summaries between buddies).</summary>
    public string Pubsub_CRDTSync { get; init; } = "pubsub-crdt-sync";

    /// <summary>The network-wide topic every validator joins: vote requests (proposals) and certificates.</summary>
    public string PubSub_AnnounceChannel { get; init; } = "pubsub-sequencer-announce";

    /// <summary>How long the sequencer waits for one buddy's answer to an invitation before counting it silent (it stays in the committee).</summary>
    public TimeSpan InvitationTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a voter waits for a buddy's acknowledgement before failing over to the next member.</summary>
    public TimeSpan VoteRequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a fetch or a result pull waits for its answer.</summary>
    public TimeSpan SyncRequestTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a buddy publishes its vote-set summary so that peers can pull what they miss.</summary>
    public TimeSpan AntiEntropyInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long before the deadline the sequencer pulls attestations and summaries it has not received (0 … timeout).</summary>
    public TimeSpan ResultPullLead { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A buddy declines an invitation whose deadline leaves it less than this.</summary>
    public TimeSpan MinimumTimeLeftToServe { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How far another node's clock may run ahead of this one: an invitation or proposal whose deadline lies more than
    /// <see cref="ConsensusTimeout"/> plus this ahead is refused (no honest sequencer sets one).
    /// </summary>
    public TimeSpan MaximumClockSkew { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Rounds this node serves as a buddy at once; further invitations are declined as overloaded.</summary>
    public int MaxConcurrentBuddyRounds { get; init; } = 16;

    /// <summary>The committee size these options give (a consensus rule).</summary>
    public CommitteeSize CommitteeSize => new(MaxMainPeers, MaxBackupPeers);

    /// <summary>The deadlines a buddy or voter accepts, as the committee layer's policy.</summary>
    public InvitationPolicy InvitationPolicy => new(MinimumTimeLeftToServe, ConsensusTimeout + MaximumClockSkew);

    /// <summary>The first key that breaks its rule, or null when every key is valid.</summary>
    public ConsensusOptionsError? Validate()
    {
        if (MaxMainPeers is < 1 or > WireLimits.MaxMainPeers)
            return Error(nameof(MaxMainPeers), MaxMainPeers, $"must be 1 … {WireLimits.MaxMainPeers}");
        if (MaxBackupPeers is < 0 or > WireLimits.MaxBackupPeers)
            return Error(nameof(MaxBackupPeers), MaxBackupPeers, $"must be 0 … {WireLimits.MaxBackupPeers}");
        if (ConsensusTimeout < TimeSpan.FromSeconds(1) || ConsensusTimeout > TimeSpan.FromMinutes(10))
            return Error(nameof(ConsensusTimeout), ConsensusTimeout, "must be 1 s … 10 min");
        if (TopicPrefixProblem(PubSub_ConsensusChannel) is { } consensus)
            return Error(nameof(PubSub_ConsensusChannel), PubSub_ConsensusChannel, consensus);
        if (TopicPrefixProblem(Pubsub_CRDTSync) is { } crdt)
            return Error(nameof(Pubsub_CRDTSync), Pubsub_CRDTSync, crdt);
        if (TopicPrefixProblem(PubSub_AnnounceChannel) is { } announce)
            return Error(nameof(PubSub_AnnounceChannel), PubSub_AnnounceChannel, announce);
        if (string.Equals(Pubsub_CRDTSync, PubSub_ConsensusChannel, StringComparison.Ordinal))
            return Error(nameof(Pubsub_CRDTSync), Pubsub_CRDTSync, $"must differ from {nameof(PubSub_ConsensusChannel)}");
        if (IsPrefixOf(PubSub_AnnounceChannel, PubSub_ConsensusChannel) || IsPrefixOf(PubSub_AnnounceChannel, Pubsub_CRDTSync))
            return Error(nameof(PubSub_AnnounceChannel), PubSub_AnnounceChannel, "must not collide with a per-round topic");
        if (WithinTimeout(InvitationTimeout) is { } invitation)
            return Error(nameof(InvitationTimeout), InvitationTimeout, invitation);
        if (WithinTimeout(VoteRequestTimeout) is { } vote)
            return Error(nameof(VoteRequestTimeout), VoteRequestTimeout, vote);
        if (WithinTimeout(SyncRequestTimeout) is { } sync)
            return Error(nameof(SyncRequestTimeout), SyncRequestTimeout, sync);
        if (WithinTimeout(AntiEntropyInterval) is { } antiEntropy)
            return Error(nameof(AntiEntropyInterval), AntiEntropyInterval, antiEntropy);
        if (ResultPullLead < TimeSpan.Zero || ResultPullLead >= ConsensusTimeout)
            return Error(nameof(ResultPullLead), ResultPullLead, $"must be 0 … less than {nameof(ConsensusTimeout)} ({Format(ConsensusTimeout)})");
        if (MinimumTimeLeftToServe < TimeSpan.Zero || MinimumTimeLeftToServe >= ConsensusTimeout)
            return Error(nameof(MinimumTimeLeftToServe), MinimumTimeLeftToServe, $"must be 0 … less than {nameof(ConsensusTimeout)} ({Format(ConsensusTimeout)})");
        if (MaximumClockSkew < TimeSpan.Zero || MaximumClockSkew > TimeSpan.FromMinutes(10))
            return Error(nameof(MaximumClockSkew), MaximumClockSkew, "must be 0 … 10 min");
        if (MaxConcurrentBuddyRounds < 1)
            return Error(nameof(MaxConcurrentBuddyRounds), MaxConcurrentBuddyRounds, "must be at least 1");
        return null;
    }

    /// <exception cref="ConsensusOptionsException">A key breaks its rule.</exception>
    public void ThrowIfInvalid()
    {
        if (Validate() is { } error)
            throw new ConsensusOptionsException(error);
    }

    private string? WithinTimeout(TimeSpan value) =>
        value > TimeSpan.Zero && value < ConsensusTimeout
            ? null
            : $"must be positive and less than {nameof(ConsensusTimeout)} ({Format(ConsensusTimeout)})";

    /// <summary>Printable ASCII without spaces, 1 … 128 characters, not ending in '/' (the round suffix adds one).</summary>
    private static string? TopicPrefixProblem(string? prefix)
    {
        if (string.IsNullOrEmpty(prefix) || prefix.Length > MaxTopicPrefixLength)
            return $"must be 1 … {MaxTopicPrefixLength} characters";
        foreach (var c in prefix)
        {
            if (c is <= ' ' or > '~')
                return "must be printable ASCII without spaces";
        }
        return prefix[^1] == '/' ? "must not end in '/'" : null;
    }

    private static bool IsPrefixOf(string announce, string roundPrefix) =>
        announce.StartsWith(roundPrefix + "/", StringComparison.Ordinal)
        || string.Equals(announce, roundPrefix, StringComparison.Ordinal);

    private static ConsensusOptionsError Error(string key, int value, string requirement) =>
        new(key, value.ToString(CultureInfo.InvariantCulture), requirement);

    private static ConsensusOptionsError Error(string key, TimeSpan value, string requirement) =>
        new(key, Format(value), requirement);

    private static ConsensusOptionsError Error(string key, string? value, string requirement) =>
        new(key, value is null ? "(null)" : $"\"{value}\"", requirement);

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
