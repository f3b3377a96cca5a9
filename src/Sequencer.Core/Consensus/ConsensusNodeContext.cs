using Sequencer.Core.Committee;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Ports;
using Sequencer.Core.Safety;

namespace Sequencer.Core.Consensus;

/// <summary>
/// Everything one <see cref="ConsensusNode"/> works with, each behind a port so that the same node runs in the
/// deterministic simulation (virtual time, seeded randomness, simulated network, in-memory stores) and in production
/// (libp2p, the wall clock, files).
/// </summary>
/// <param name="Options">Validated when the node is built.</param>
/// <param name="Directory">The validator directory; a round reads it once when it starts and keeps that epoch.</param>
/// <param name="Signer">The validator key's signer; its index is this node's directory index.</param>
/// <param name="VrfKey">The same validator key, to prove the VRF when this node is the sequencer (the node does not dispose it).</param>
/// <param name="SafetyStore">The durable record of votes and attestations signed (rules S1–S3).</param>
/// <param name="DecisionLog">Where every verified certificate this node sees is appended.</param>
/// <param name="Network">Direct requests and topics.</param>
/// <param name="Loop">The node's single thread of control.</param>
/// <param name="Time">The clock and the timers (virtual in the simulation).</param>
/// <param name="BlockValidator">Judges proposed blocks for this node's vote.</param>
/// <param name="Random">Seeded in the simulation; used only where a choice may be arbitrary (never for anything signed).</param>
/// <param name="Observer">Metrics and checkers; <see cref="NullConsensusObserver"/> when nobody listens.</param>
/// <param name="PipelineMode">Inline (deterministic) or threaded vote verification.</param>
/// <param name="CommitteeCache">
/// Committee derivations shared with the other nodes of this process (the simulation, <c>sequencer cluster</c>); null
/// derives alone. Sharing changes no result (see <see cref="Committee.CommitteeCache"/>), only how often it is computed.
/// </param>
public sealed record ConsensusNodeContext(
    ConsensusOptions Options,
    IValidatorDirectorySource Directory,
    IValidatorSigner Signer,
    Secp256k1PrivateKey VrfKey,
    ISafetyStore SafetyStore,
    IDecisionLog DecisionLog,
    IConsensusNetwork Network,
    INodeLoop Loop,
    TimeProvider Time,
    IBlockValidator BlockValidator,
    Random Random,
    IConsensusObserver Observer,
    VotePipelineMode PipelineMode = VotePipelineMode.Inline,
    CommitteeCache? CommitteeCache = null);
