using Sequencer.Core.Tests.Consensus.Harness;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus;

/// <summary>Every collector builds the certificate; the network should carry about one copy of it, yet every node must get it.</summary>
public sealed class CertificateAnnouncementTests
{
    private static bool IsCertificate(byte[] payload) => payload[1] == (byte)WireMessageType.Certificate;

    [Fact]
    public void ALiveSequencerAnnouncesTheOnlyCopy()
    {
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var announce = cluster.Options.PubSub_AnnounceChannel;

        cluster.Run(0, TestCluster.Block(1));
        cluster.Scheduler.RunFor(TimeSpan.FromSeconds(2));

        var copies = cluster.Network.Published.Where(p => p.Topic == announce && IsCertificate(p.Payload)).ToList();
        Assert.Equal(0, Assert.Single(copies).From);
        for (var i = 0; i < cluster.Nodes.Length; i++)
            Assert.Single(cluster.Logs[i].ReadAll());
    }

    [Fact]
    public void WhenTheSequencersCopyIsLostAMemberAnnouncesInItsTurnAndTheOthersStayQuiet()
    {
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var announce = cluster.Options.PubSub_AnnounceChannel;
        cluster.Network.DeliverTopicMessage = (topic, from, _, payload) => !(from == 0 && topic == announce && IsCertificate(payload));

        cluster.Run(0, TestCluster.Block(1));
        cluster.Scheduler.RunFor(TimeSpan.FromSeconds(2));

        var copies = cluster.Network.Published.Where(p => p.Topic == announce && IsCertificate(p.Payload)).ToList();
        var fromMembers = copies.Where(p => p.From != 0).ToList();
        // Seven members built it; the first whose turn came announced, and the rest heard that copy before theirs.
        Assert.NotEmpty(fromMembers);
        Assert.True(fromMembers.Count < TestCluster.SmallCommittee.MaxMainPeers, $"{fromMembers.Count} members announced");
        for (var i = 0; i < cluster.Nodes.Length; i++)
            Assert.Single(cluster.Logs[i].ReadAll());
    }
}
