namespace Sequencer.Net.PubSub;

public enum ValidationResult
{
    /// <summary>Deliver it and forward it.</summary>
    Accept,
    /// <summary>Invalid: drop it, and penalise every peer that delivers it (P₄).</summary>
    Reject,
    /// <summary>Drop it without penalty (e.g. we cannot judge it yet).</summary>
    Ignore,
}
