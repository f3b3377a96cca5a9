namespace Sequencer.Host.Cluster;

/// <summary>A control line that breaks the protocol: not one JSON object, or an event without a field it must carry.</summary>
internal sealed class ControlProtocolException(string message) : Exception(message);
