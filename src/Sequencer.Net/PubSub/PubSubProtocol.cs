namespace Sequencer.Net.PubSub;

/// <summary>The gossipsub version a peer's stream was negotiated with.</summary>
public enum PubSubProtocol
{
    /// <summary><c>/meshsub/1.0.0</c>: no PRUNE backoff field.</summary>
    MeshSub10,
    /// <summary><c>/meshsub/1.1.0</c>.</summary>
    MeshSub11,
    /// <summary><c>/meshsub/1.2.0</c>: also understands IDONTWANT.</summary>
    MeshSub12,
}
