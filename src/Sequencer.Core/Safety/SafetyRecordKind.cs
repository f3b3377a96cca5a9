namespace Sequencer.Core.Safety;

/// <summary>What a safety record promises never to sign twice at one (chainId, height). Stored as this byte.</summary>
public enum SafetyRecordKind : byte
{
    /// <summary>Rule S1: a voter's vote.</summary>
    Vote = 1,

    /// <summary>Rule S2: a buddy's attestation.</summary>
    Attestation = 2,
}
