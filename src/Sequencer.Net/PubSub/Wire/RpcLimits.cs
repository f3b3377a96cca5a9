namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// How many entries of each kind one RPC may contribute. The decoder still checks the structure of every entry, but
/// stores only this many and counts the rest as dropped, as js-libp2p does with its decode limits: a well-formed but
/// oversized RPC is trimmed, not treated as an attack, while memory per RPC stays bounded whatever the peer sends.
/// </summary>
public sealed record RpcLimits
{
    public int MaxSubscriptions { get; init; } = 1024;
    public int MaxMessages { get; init; } = 5000;
    /// <summary>Message ids across all IHAVE entries (go and js cap one IHAVE at 5000 ids).</summary>
    public int MaxIHaveIds { get; init; } = 5000;
    public int MaxIWantIds { get; init; } = 5000;
    public int MaxIDontWantIds { get; init; } = 5000;
    /// <summary>IHAVE, GRAFT and PRUNE entries, each kind counted on its own.</summary>
    public int MaxControlEntries { get; init; } = 1024;
    /// <summary>Peer-exchange records across all PRUNE entries (PX is read but not acted upon).</summary>
    public int MaxPrunePeers { get; init; } = 64;

    public static RpcLimits Default { get; } = new();
}
