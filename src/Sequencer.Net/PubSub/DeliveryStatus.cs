namespace Sequencer.Net.PubSub;

/// <summary>Where a seen message stands; duplicates are scored by it.</summary>
internal enum DeliveryStatus : byte
{
    /// <summary>Its topic validator is still running.</summary>
    Validating,
    Valid,
    /// <summary>Rejected by its validator: every peer that delivers it is penalised.</summary>
    Invalid,
    /// <summary>Ignored by its validator, or too large: dropped without penalty.</summary>
    Ignored,
}
