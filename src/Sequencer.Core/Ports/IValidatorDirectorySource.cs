using Sequencer.Core.Validators;

namespace Sequencer.Core.Ports;

/// <summary>
/// Where the engine gets the validator directory of the current epoch: a file today
/// (<see cref="FileValidatorDirectorySource"/>), chain state later. A round reads <see cref="Current"/> once when it
/// starts and keeps that instance, so a change of epoch never alters a round in flight.
/// </summary>
public interface IValidatorDirectorySource
{
    ValidatorDirectory Current { get; }
}
