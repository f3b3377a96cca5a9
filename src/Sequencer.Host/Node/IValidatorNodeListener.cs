using Sequencer.Core.Committee;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Host.Node;

/// <summary>
/// What a <see cref="ValidatorNode"/> reports beyond its logs and metrics: the control protocol writes these as
/// events, the in-process cluster reads them directly. Called on the node's loop (peers: from the loop too), one at a
/// time; an implementation returns quickly and does not call back into the node synchronously.
/// </summary>
internal interface IValidatorNodeListener
{
    /// <summary>The number of validators connected to this node (itself not counted) changed.</summary>
    void OnPeersChanged(int connected) { }

    /// <summary>This node, as sequencer, drew the committee of a round, before inviting it.</summary>
    void OnCommitteeDrawn(ulong height, Hash32 block, PeerList committee) { }

    /// <summary>A verified certificate was appended to this node's decision log (its own round's or one it heard).</summary>
    void OnCertificate(ulong height, Hash32 block, Decision value) { }

    /// <summary>With trace-signed on: a vote or attestation this node produced or verified.</summary>
    void OnSigned(in SignedStatement statement) { }
}
