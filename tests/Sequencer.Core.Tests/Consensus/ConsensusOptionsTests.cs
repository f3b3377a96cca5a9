using Sequencer.Core.Consensus;
using Sequencer.Core.Tests.Consensus.Harness;

namespace Sequencer.Core.Tests.Consensus;

public sealed class ConsensusOptionsTests
{
    [Fact]
    public void DefaultsAreTheSeedsAndValid()
    {
        var options = ConsensusOptions.Default;

        Assert.Null(options.Validate());
        Assert.Equal(13, options.MaxMainPeers);
        Assert.Equal(10, options.MaxBackupPeers);
        Assert.Equal(TimeSpan.FromSeconds(20), options.ConsensusTimeout);
        Assert.Equal("pubsub-consensus", options.PubSub_ConsensusChannel);
        Assert.Equal("pubsub-crdt-sync", options.Pubsub_CRDTSync);
        Assert.Equal((13, 10), (options.CommitteeSize.MainPeers, options.CommitteeSize.BackupPeers));
    }

    public static TheoryData<string, string, string> InvalidOptions => new()
    {
        { "MaxMainPeers=0", nameof(ConsensusOptions.MaxMainPeers), "0" },
        { "MaxMainPeers=14", nameof(ConsensusOptions.MaxMainPeers), "14" },
        { "MaxBackupPeers=-1", nameof(ConsensusOptions.MaxBackupPeers), "-1" },
        { "MaxBackupPeers=11", nameof(ConsensusOptions.MaxBackupPeers), "11" },
        { "ConsensusTimeout=0", nameof(ConsensusOptions.ConsensusTimeout), "00:00:00" },
        { "ConsensusTimeout=11min", nameof(ConsensusOptions.ConsensusTimeout), "00:11:00" },
        { "PubSub_ConsensusChannel=", nameof(ConsensusOptions.PubSub_ConsensusChannel), "\"\"" },
        { "PubSub_ConsensusChannel=a b", nameof(ConsensusOptions.PubSub_ConsensusChannel), "\"a b\"" },
        { "PubSub_ConsensusChannel=x/", nameof(ConsensusOptions.PubSub_ConsensusChannel), "\"x/\"" },
        { "Pubsub_CRDTSync=long", nameof(ConsensusOptions.Pubsub_CRDTSync), "\"" + new string('c', 129) + "\"" },
        { "Pubsub_CRDTSync=same", nameof(ConsensusOptions.Pubsub_CRDTSync), "\"pubsub-consensus\"" },
        { "PubSub_AnnounceChannel=inside", nameof(ConsensusOptions.PubSub_AnnounceChannel), "\"pubsub-consensus/x\"" },
        { "InvitationTimeout=0", nameof(ConsensusOptions.InvitationTimeout), "00:00:00" },
        { "VoteRequestTimeout=timeout", nameof(ConsensusOptions.VoteRequestTimeout), "00:00:20" },
        { "SyncRequestTimeout=-1", nameof(ConsensusOptions.SyncRequestTimeout), "-00:00:01" },
        { "AntiEntropyInterval=0", nameof(ConsensusOptions.AntiEntropyInterval), "00:00:00" },
        { "ResultPullLead=timeout", nameof(ConsensusOptions.ResultPullLead), "00:00:20" },
        { "MinimumTimeLeftToServe=-1", nameof(ConsensusOptions.MinimumTimeLeftToServe), "-00:00:01" },
        { "MaximumClockSkew=11min", nameof(ConsensusOptions.MaximumClockSkew), "00:11:00" },
        { "MaxConcurrentBuddyRounds=0", nameof(ConsensusOptions.MaxConcurrentBuddyRounds), "0" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void EachBrokenRuleNamesItsKeyAndValue(string change, string key, string value)
    {
        var options = Apply(change);

        var error = options.Validate();

        Assert.NotNull(error);
        Assert.Equal(key, error.Key);
        Assert.Equal(value, error.Value);
        Assert.False(string.IsNullOrWhiteSpace(error.Requirement));
        var thrown = Assert.Throws<ConsensusOptionsException>(options.ThrowIfInvalid);
        Assert.Equal(error, thrown.Error);
        Assert.Contains(key, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeRefusesInvalidOptions()
    {
        var thrown = Assert.Throws<ConsensusOptionsException>(() =>
            new TestCluster(4, ConsensusOptions.Default with { MaxMainPeers = 20 }));

        Assert.Equal(nameof(ConsensusOptions.MaxMainPeers), thrown.Error.Key);
        Assert.Equal("20", thrown.Error.Value);
    }

    private static ConsensusOptions Apply(string change)
    {
        var options = ConsensusOptions.Default;
        return change switch
        {
            "MaxMainPeers=0" => options with { MaxMainPeers = 0 },
            "MaxMainPeers=14" => options with { MaxMainPeers = 14 },
            "MaxBackupPeers=-1" => options with { MaxBackupPeers = -1 },
            "MaxBackupPeers=11" => options with { MaxBackupPeers = 11 },
            "ConsensusTimeout=0" => options with { ConsensusTimeout = TimeSpan.Zero },
            "ConsensusTimeout=11min" => options with { ConsensusTimeout = TimeSpan.FromMinutes(11) },
            "PubSub_ConsensusChannel=" => options with { PubSub_ConsensusChannel = "" },
            "PubSub_ConsensusChannel=a b" => options with { PubSub_ConsensusChannel = "a b" },
            "PubSub_ConsensusChannel=x/" => options with { PubSub_ConsensusChannel = "x/" },
            "Pubsub_CRDTSync=long" => options with { Pubsub_CRDTSync = new string('c', 129) },
            "Pubsub_CRDTSync=same" => options with { Pubsub_CRDTSync = options.PubSub_ConsensusChannel },
            "PubSub_AnnounceChannel=inside" => options with { PubSub_AnnounceChannel = options.PubSub_ConsensusChannel + "/x" },
            "InvitationTimeout=0" => options with { InvitationTimeout = TimeSpan.Zero },
            "VoteRequestTimeout=timeout" => options with { VoteRequestTimeout = options.ConsensusTimeout },
            "SyncRequestTimeout=-1" => options with { SyncRequestTimeout = TimeSpan.FromSeconds(-1) },
            "AntiEntropyInterval=0" => options with { AntiEntropyInterval = TimeSpan.Zero },
            "ResultPullLead=timeout" => options with { ResultPullLead = options.ConsensusTimeout },
            "MinimumTimeLeftToServe=-1" => options with { MinimumTimeLeftToServe = TimeSpan.FromSeconds(-1) },
            "MaximumClockSkew=11min" => options with { MaximumClockSkew = TimeSpan.FromMinutes(11) },
            "MaxConcurrentBuddyRounds=0" => options with { MaxConcurrentBuddyRounds = 0 },
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, "no such change"),
        };
    }
}
