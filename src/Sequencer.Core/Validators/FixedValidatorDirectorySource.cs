using Sequencer.Core.Ports;

namespace Sequencer.Core.Validators;

/// <summary>One directory that never changes: generated networks, the simulation and tests.</summary>
public sealed class FixedValidatorDirectorySource(ValidatorDirectory directory) : IValidatorDirectorySource
{
    public ValidatorDirectory Current { get; } = directory;
}
