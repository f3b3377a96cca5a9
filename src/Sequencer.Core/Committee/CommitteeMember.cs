using Sequencer.Core.Validators;

namespace Sequencer.Core.Committee;

/// <summary>
/// A validator serving on a round's committee, with its <see cref="Position"/> in the VRF's draw (0 … 22, mains
/// first): the position a certificate's signer bitmap names it by.
/// </summary>
public readonly record struct CommitteeMember(int Position, ValidatorInfo Validator)
{
    public int ValidatorIndex => Validator.Index;
}
