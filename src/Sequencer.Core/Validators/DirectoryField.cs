namespace Sequencer.Core.Validators;

/// <summary>The part of a directory a <see cref="DirectoryViolation"/> points at.</summary>
internal enum DirectoryField
{
    Validators,
    PeerId,
    PublicKey,
    Weight,
    Region,
    Addresses,
}
