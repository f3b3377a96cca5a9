using Sequencer.Core.Consensus;
using Sequencer.Core.Wire;
using Sequencer.Net.Tests.Host;

namespace Sequencer.Net.Tests.Consensus;

/// <summary>Several engines decide rounds through the production adapter over real libp2p hosts on loopback.</summary>
public sealed class ConsensusOverLibp2pTests
{
    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    public async Task Validators_on_loopback_decide_a_round_and_every_one_logs_the_certificate(int count)
    {
        await using var network = await LoopbackNetwork.StartAsync(count, new ConsensusOptions { ConsensusTimeout = TimeSpan.FromSeconds(20) });
        await network.ConnectedAsync();

        var block = LoopbackNetwork.Block(1);
        var outcome = await network.Validators[0].Node.Consensus.StartAsync(block).WithinGuard();

        var accepted = Assert.IsType<RoundOutcome.Accepted>(outcome);
        Assert.Equal(block.BlockHash, accepted.Round.BlockHash);
        // The certificate is announced to every validator, and each one verifies it and logs it.
        await Eventually.TrueAsync(() => Array.TrueForAll(network.Validators, v => v.Observer.Certificates >= 1), "every validator logged the certificate");
        foreach (var validator in network.Validators)
        {
            var record = Assert.Single(await validator.DecisionsAsync());
            Assert.Equal((block.Height, Decision.Accept), (record.Height, record.Outcome));
            Assert.Empty(validator.Faults);
        }
    }

    [Fact]
    public async Task Successive_sequencers_decide_successive_heights()
    {
        await using var network = await LoopbackNetwork.StartAsync(5, new ConsensusOptions());
        await network.ConnectedAsync();
        for (var height = 1UL; height <= 3; height++)
        {
            var sequencer = network.Validators[(int)(height - 1) % network.Validators.Length];
            var outcome = await sequencer.Node.Consensus.StartAsync(LoopbackNetwork.Block(height)).WithinGuard();
            Assert.IsType<RoundOutcome.Accepted>(outcome);
        }
    }
}
