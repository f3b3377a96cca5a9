namespace Sequencer.Core.Consensus;

/// <summary>One configuration key that breaks its rule: the key as the configuration file names it, the value it holds, and what it must be.</summary>
public sealed record ConsensusOptionsError(string Key, string Value, string Requirement)
{
    public override string ToString() => $"{Key} = {Value}: {Requirement}";
}
