namespace Sequencer.Core.Ports;

/// <summary>Names an inbound request the node must answer exactly once with <see cref="IConsensusNetwork.SendResponse"/>.</summary>
public readonly record struct InboundRequestId(long Value);
