using Sequencer.Simulation.Network;

namespace Sequencer.Simulation.Tests.Fakes;

internal sealed class RecordingTap : IWireTap
{
    public List<WireEnvelope> Envelopes { get; } = [];

    public void OnSend(in WireEnvelope envelope) => Envelopes.Add(envelope);
}
