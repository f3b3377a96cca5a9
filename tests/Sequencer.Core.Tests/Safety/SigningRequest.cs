using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Safety;

/// <summary>
/// One request to <see cref="SafetyRules"/>, with small value ranges so that random sequences collide on
/// (kind, chain, height) often and differ in block, value, directory or committee as often.
/// </summary>
internal sealed record SigningRequest(
    SafetyRecordKind Kind, ulong Chain, ulong Height, byte Block, Decision Value, byte Directory, byte Committee)
{
    public static Gen<SigningRequest> Generator(int heights) =>
        from kind in Gen.Elements(SafetyRecordKind.Vote, SafetyRecordKind.Attestation)
        from chain in Gen.Elements(1UL, 2UL)
        from height in Gen.Choose(1, heights)
        from block in Gen.Choose(1, 3)
        from value in Gen.Elements(Decision.Accept, Decision.Reject)
        from directory in Gen.Choose(1, 2)
        from committee in Gen.Choose(1, 2)
        select new SigningRequest(kind, chain, (ulong)height, (byte)block, value, (byte)directory,
            kind == SafetyRecordKind.Attestation ? (byte)committee : (byte)0);

    public (ulong Chain, ulong Height, SafetyRecordKind Kind) Key => (Chain, Height, Kind);

    /// <summary>Sends the request; returns the answer and the signature the message carries afterwards.</summary>
    public (SigningResult Result, byte[] Signature) SendTo(SafetyRules rules)
    {
        if (Kind == SafetyRecordKind.Vote)
        {
            var (result, vote) = rules.SignVote(Chain, Height, SigningHelpers.Hash(Block), SigningHelpers.Hash(Directory), Value);
            return (result, vote.Signature.AsReadOnlySpan().ToArray());
        }
        var (attested, attestation) = rules.SignAttestation(Chain, Height, SigningHelpers.Hash(Block), SigningHelpers.Hash(Directory),
            SigningHelpers.Hash(Committee), Value);
        return (attested, attestation.Signature.AsReadOnlySpan().ToArray());
    }
}
