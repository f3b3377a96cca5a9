using System.Buffers;
using Sequencer.Core.Consensus;
using Sequencer.Core.Ports;
using Sequencer.Core.Tests.Consensus.Harness;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Consensus;

public sealed class RoundTests
{
    [Fact]
    public void HealthyRoundDecidesAcceptAndEveryNodeLogsTheCertificate()
    {
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var block = TestCluster.Block(1);
        var start = cluster.Scheduler.Now;

        var outcome = cluster.Run(0, block);

        var accepted = Assert.IsType<RoundOutcome.Accepted>(outcome);
        Assert.True(cluster.Scheduler.Now - start < cluster.Options.ConsensusTimeout);
        var certificate = Decode(accepted.Certificate);
        Assert.Equal(Decision.Accept, certificate.Value);
        Assert.Equal(TestCluster.IdOf(block), certificate.Round);
        Assert.True(QuorumRules.IsCertificateQuorum(certificate.SignerCount, 7));
        Assert.Equal(0, certificate.Committee.DeclineCount);

        cluster.Scheduler.RunFor(TimeSpan.FromSeconds(1));
        for (var i = 0; i < cluster.Nodes.Length; i++)
        {
            var record = Assert.Single(cluster.Logs[i].ReadAll());
            Assert.Equal((block.Height, Decision.Accept), (record.Height, record.Outcome));
            Assert.Empty(cluster.Observers[i].SigningRefusals);
            // Every validator signed one vote, had it acknowledged, and sent it to at most two members (the second
            // copy, unless the round closed first), never twice to one.
            var sent = cluster.Observers[i].VotesSent.Where(v => v.Round == TestCluster.IdOf(block)).ToList();
            Assert.InRange(sent.Count, 1, 2);
            Assert.Equal(sent.Count, sent.Select(v => v.Buddy).Distinct().Count());
            Assert.Single(sent.Select(v => v.Decision).Distinct());
            Assert.Contains(cluster.Observers[i].Acknowledgements, a => a.Status == VoteAckStatus.Recorded);
            Assert.Equal(0, cluster.Nodes[i].Metadata.LiveRoundCount);
            Assert.True(cluster.Nodes[i].Metadata.HasFinished(TestCluster.IdOf(block)));
        }
        Assert.Equal(0, cluster.Network.Rejected);
        Assert.Single(cluster.Observers[0].Outcomes);
    }

    [Fact]
    public void BlockTheValidatorsRejectDecidesReject()
    {
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee, decisionOf: _ => Decision.Reject);

        var outcome = cluster.Run(3, TestCluster.Block(5));

        var rejected = Assert.IsType<RoundOutcome.Rejected>(outcome);
        Assert.Equal(Decision.Reject, Decode(rejected.Certificate).Value);
        cluster.Scheduler.RunFor(TimeSpan.FromSeconds(1));
        Assert.All(cluster.Logs, log => Assert.Equal(Decision.Reject, Assert.Single(log.ReadAll()).Outcome));
    }

    [Fact]
    public void RejectWinsOnceAThirdOfTheWeightRejects()
    {
        // 6 of 16 reject (≥ 1/3 W), 10 accept (not > 2/3 W): accept can no longer win, buddies attest Reject.
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee,
            decisionOf: i => i < 6 ? Decision.Reject : Decision.Accept);

        Assert.IsType<RoundOutcome.Rejected>(cluster.Run(0, TestCluster.Block(2)));
    }

    [Fact]
    public void BuddyThatDeclinesIsReplacedByTheFirstBackup()
    {
        var block = TestCluster.Block(3);
        var seats = new TestCluster(16, TestCluster.SmallCommittee).SeatsFor(0, block);
        var decliner = seats.Candidates[2];
        var firstBackup = seats.Candidates[seats.MainCount];
        // A deadline leaves it less time than it demands, so it declines (signed: "deadline too short").
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee, optionsOf: (i, options) => i == decliner
            ? options with { MinimumTimeLeftToServe = options.ConsensusTimeout - TimeSpan.FromMilliseconds(1) }
            : options);
        var id = TestCluster.IdOf(block);

        var outcome = cluster.Nodes[0].Consensus.StartAsync(block);
        var answer = cluster.Nodes[0].Consensus.Communication.AskForSubscriptionAsync(id, decliner);
        var backupAnswer = cluster.Nodes[0].Consensus.Communication.AskForSubscriptionAsync(id, firstBackup);
        var committee = cluster.Nodes[0].Consensus.RequestSubscriptionPermissionAsync(id);
        cluster.Scheduler.RunUntil(() => outcome.IsCompleted, cluster.Options.ConsensusTimeout);

        Assert.Equal(InvitationStatus.Declined, answer.Completed());
        Assert.Equal(InvitationStatus.Accepted, backupAnswer.Completed());
        var members = committee.Completed().MainPeers.Select(v => v.Index).ToArray();
        Assert.DoesNotContain(decliner, members);
        Assert.Contains(firstBackup, members);
        Assert.Equal(7, members.Length);
        var certificate = Decode(Assert.IsType<RoundOutcome.Accepted>(outcome.Completed()).Certificate);
        var decline = Assert.Single(certificate.Committee.Declines.ToArray());
        Assert.Equal((uint)decliner, decline.BuddyIndex);
        Assert.Equal(DeclineReason.DeadlineTooShort, decline.Reason);
    }

    [Fact]
    public void SilentBuddiesUpToFDoNotStopTheRoundAndStayInTheCommittee()
    {
        var block = TestCluster.Block(4);
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var seats = cluster.SeatsFor(0, block);
        int[] silent = [seats.Candidates[0], seats.Candidates[4]];
        foreach (var index in silent)
            cluster.Network.Isolate(index);
        var id = TestCluster.IdOf(block);
        var outcome = cluster.Nodes[0].Consensus.StartAsync(block);
        var answers = silent.Select(i => cluster.Nodes[0].Consensus.Communication.AskForSubscriptionAsync(id, i)).ToArray();
        var committee = cluster.Nodes[0].Consensus.RequestSubscriptionPermissionAsync(id);

        cluster.Scheduler.RunUntil(() => outcome.IsCompleted, cluster.Options.ConsensusTimeout);

        Assert.IsType<RoundOutcome.Accepted>(outcome.Completed());
        Assert.All(answers, answer => Assert.Equal(InvitationStatus.Silent, answer.Completed()));
        // Silence changes nothing: only a signed decline can take a member out.
        var members = committee.Completed().MainPeers.Select(v => v.Index).ToArray();
        Assert.All(silent, index => Assert.Contains(index, members));
        Assert.Equal(seats.Candidates.Take(7), members);
    }

    [Fact]
    public void MemberWhoseInvitationWasLostServesFromTheProposal()
    {
        var block = TestCluster.Block(9);
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var seats = cluster.SeatsFor(0, block);
        int[] uninvited = [seats.Candidates[2], seats.Candidates[6]];
        cluster.Network.DeliverRequest = (_, to, protocol) => protocol != SequencerProtocol.Invitation || !uninvited.Contains(to);
        var id = TestCluster.IdOf(block);
        var outcome = cluster.Nodes[0].Consensus.StartAsync(block);
        var answers = uninvited.Select(i => cluster.Nodes[0].Consensus.Communication.AskForSubscriptionAsync(id, i)).ToArray();

        cluster.Scheduler.RunUntil(() => outcome.IsCompleted, cluster.Options.ConsensusTimeout);

        Assert.IsType<RoundOutcome.Accepted>(outcome.Completed());
        Assert.All(answers, answer => Assert.Equal(InvitationStatus.Silent, answer.Completed()));
        // Silent to the sequencer, still members: they learnt their seats from the proposal and attested.
        Assert.All(uninvited, i => Assert.Equal((id, Decision.Accept), Assert.Single(cluster.Observers[i].Attestations)));
    }

    [Fact]
    public void DeadlineWithoutACertificateTimesOutWithADiagnosis()
    {
        var block = TestCluster.Block(6);
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var seats = cluster.SeatsFor(0, block);
        // f + 1 = 3 silent members: 4 attestations at most, 5 needed.
        int[] silent = [seats.Candidates[1], seats.Candidates[3], seats.Candidates[5]];
        foreach (var index in silent)
            cluster.Network.Isolate(index);
        var start = cluster.Scheduler.Now;

        var outcome = cluster.Run(0, block);

        var timedOut = Assert.IsType<RoundOutcome.TimedOut>(outcome);
        Assert.True(cluster.Scheduler.Now - start >= cluster.Options.ConsensusTimeout);
        var diagnosis = timedOut.Diagnosis;
        Assert.Equal(SequencerStage.Proposed, diagnosis.Stage);
        Assert.Equal(7, diagnosis.CommitteeSize);
        Assert.Equal(5, diagnosis.SignersNeeded);
        Assert.Equal(4, diagnosis.AcceptAttestations);
        Assert.Equal(0, diagnosis.RejectAttestations);
        Assert.Equal(silent.Order(), diagnosis.SilentMembers.Select(m => m.ValidatorIndex).Order());
        Assert.All(diagnosis.Candidates.Where(c => c.IsMember && !silent.Contains(c.ValidatorIndex)),
            c => Assert.Equal(Decision.Accept, c.Attested));
        // The 13 reachable validators voted, and the buddies' summaries said so.
        Assert.Equal(13, diagnosis.ReportedVoters);
        Assert.Equal(13UL, diagnosis.ReportedVotedWeight);
        Assert.Equal(16UL, diagnosis.TotalWeight);
        Assert.Equal(0, cluster.Nodes[0].Metadata.LiveRoundCount);
        Assert.Empty(cluster.Logs[0].ReadAll());
    }

    [Fact]
    public void RoundsOfSeveralHeightsRunAtOnceWithoutInterfering()
    {
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var first = cluster.Nodes[0].Consensus.StartAsync(TestCluster.Block(10));
        var second = cluster.Nodes[5].Consensus.StartAsync(TestCluster.Block(11));
        var third = cluster.Nodes[9].Consensus.StartAsync(TestCluster.Block(12));

        cluster.Scheduler.RunUntil(() => first.IsCompleted && second.IsCompleted && third.IsCompleted, cluster.Options.ConsensusTimeout);

        Assert.IsType<RoundOutcome.Accepted>(first.Completed());
        Assert.IsType<RoundOutcome.Accepted>(second.Completed());
        Assert.IsType<RoundOutcome.Accepted>(third.Completed());
        cluster.Scheduler.RunFor(TimeSpan.FromSeconds(1));
        Assert.All(cluster.Logs, log => Assert.Equal([10UL, 11UL, 12UL], log.ReadAll().Select(r => r.Height).Order()));
    }

    [Fact]
    public void HealthyRoundDecidesAcceptWithTheThreadedPipeline()
    {
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee, VotePipelineMode.Threaded);
        cluster.Scheduler.RealIdleWait = TimeSpan.FromMilliseconds(20);

        var outcome = cluster.Run(2, TestCluster.Block(7));

        Assert.Equal(Decision.Accept, Decode(Assert.IsType<RoundOutcome.Accepted>(outcome).Certificate).Value);
    }

    [Fact]
    public void StepsOfTheSeedFlowCompleteInOrder()
    {
        using var cluster = new TestCluster(16, TestCluster.SmallCommittee);
        var block = TestCluster.Block(8);
        var id = TestCluster.IdOf(block);
        var drawn = cluster.Nodes[0].Consensus.QueryBuddyNodesAsync(block);
        cluster.Scheduler.RunUntil(() => drawn.IsCompleted, TimeSpan.FromSeconds(1));
        var outcome = cluster.Nodes[0].Consensus.StartAsync(block);
        var permission = cluster.Nodes[0].Consensus.RequestSubscriptionPermissionAsync(id);
        var channel = cluster.Nodes[0].Consensus.CreatePubSubChannelAsync(id);
        var proposed = cluster.Nodes[0].Consensus.Communication.StartBftConsensusAsync(id);

        cluster.Scheduler.RunUntil(() => proposed.IsCompleted, cluster.Options.ConsensusTimeout);
        Assert.True(permission.IsCompletedSuccessfully && channel.IsCompletedSuccessfully && proposed.IsCompletedSuccessfully);
        Assert.False(outcome.IsCompleted);
        Assert.Equal(drawn.Completed().MainPeers.Select(v => v.Index), permission.Completed().MainPeers.Select(v => v.Index));
        Assert.True(cluster.Network.IsSubscribed(0, channel.Completed().Consensus));
        Assert.StartsWith(cluster.Options.PubSub_ConsensusChannel + "/", channel.Completed().Consensus, StringComparison.Ordinal);
        Assert.StartsWith(cluster.Options.Pubsub_CRDTSync + "/", channel.Completed().CrdtSync, StringComparison.Ordinal);
        Assert.True(cluster.Nodes[0].Metadata.TryGetRound(id, out var snapshot));
        Assert.Equal(RoundRoles.Sequencer | RoundRoles.Voter, snapshot!.Roles);

        var results = cluster.Nodes[0].Consensus.Communication.RequestVoteResultsFromBuddiesAsync(id);
        cluster.Scheduler.RunUntil(() => outcome.IsCompleted && results.IsCompleted, cluster.Options.ConsensusTimeout);
        Assert.IsType<RoundOutcome.Accepted>(outcome.Completed());
        Assert.All(results.Completed().Values, value => Assert.Equal(Decision.Accept, value));
        // Torn down: the round's topics are left.
        Assert.False(cluster.Network.IsSubscribed(0, channel.Completed().Consensus));
        Assert.False(cluster.Network.IsSubscribed(0, channel.Completed().CrdtSync));
    }

    private static Certificate Decode(ReadOnlyMemory<byte> encoded)
    {
        Assert.True(Certificate.TryDecode(new ReadOnlySequence<byte>(encoded), out var certificate).IsOk);
        return certificate;
    }
}
