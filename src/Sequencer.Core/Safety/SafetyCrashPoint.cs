namespace Sequencer.Core.Safety;

/// <summary>Where inside a save an injected crash strikes.</summary>
public enum SafetyCrashPoint
{
    /// <summary>The process dies before the write completes: the record is lost, and so is the signature.</summary>
    BeforeDurable,

    /// <summary>The process dies after the record is durable but before the signature is returned and sent.</summary>
    AfterDurable,
}
