namespace Sequencer.Core.Ports;

/// <summary>Names an outbound request so its response or failure, arriving later as an event, finds its caller.</summary>
public readonly record struct RequestId(long Value);
