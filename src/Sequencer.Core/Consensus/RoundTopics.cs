using System.Globalization;
using Sequencer.Core.Primitives;

namespace Sequencer.Core.Consensus;

/// <summary>
/// The two GossipSub topics of one round (DESIGN §3 step 3): the configured prefix, then
/// <c>/chainId/height/blockHash-hex</c>. Scoped to the round, unlike the original's one global name for every round and
/// every sequencer (reference §9.4.9), so a round's traffic never reaches another round's handlers.
/// </summary>
public sealed record RoundTopics(string Consensus, string CrdtSync)
{
    public static RoundTopics For(ConsensusOptions options, in RoundId round)
    {
        var suffix = string.Create(CultureInfo.InvariantCulture, $"/{round.ChainId}/{round.Height}/{round.BlockHash}");
        return new RoundTopics(options.PubSub_ConsensusChannel + suffix, options.Pubsub_CRDTSync + suffix);
    }
}
