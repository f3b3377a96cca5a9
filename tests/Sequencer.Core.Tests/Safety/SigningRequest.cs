using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Safety;

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

    /// <summary>Sends the request; returns the answer and the signature buffer as the caller sees it.</summary>
    public (SigningResult Result, byte[] Signature) SendTo(SafetyRules rules)
    {
        var signature = new byte[64];
        var result = Kind == SafetyRecordKind.Vote
            ? rules.SignVote(new VoteToSign(Chain, Height, TestDigests.Hash(Block), TestDigests.Hash(Directory), Value), signature)
            : rules.SignAttestation(new AttestationToSign(Chain, Height, TestDigests.Hash(Block), TestDigests.Hash(Directory),
                TestDigests.Hash(Committee), Value), signature);
        return (result, signature);
    }
}
