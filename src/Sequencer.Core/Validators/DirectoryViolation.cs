namespace Sequencer.Core.Validators;

/// <summary>
/// A rule of <see cref="ValidatorDirectory"/> that its entries break: which validator, which of its fields (and which
/// address, for <see cref="DirectoryField.Addresses"/>), and why. The file reader turns it into a located
/// <see cref="DirectoryFormatException"/>; code that builds a directory gets it as an <see cref="ArgumentException"/>.
/// </summary>
internal readonly record struct DirectoryViolation(
    DirectoryError Error, int ValidatorIndex, DirectoryField Field, int AddressIndex, string Detail);

