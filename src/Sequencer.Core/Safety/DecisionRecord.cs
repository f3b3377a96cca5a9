using Sequencer.Core.Wire;

namespace Sequencer.Core.Safety;

/// <summary>One decided certificate as the decision log holds it: the certificate stays opaque bytes here.</summary>
public readonly record struct DecisionRecord(ulong ChainId, ulong Height, Decision Outcome, ReadOnlyMemory<byte> Certificate);
