using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Safety;

/// <summary>Builds the wire messages the round would hand to <see cref="SafetyRules"/>, and readable test values.</summary>
internal static class SigningHelpers
{
    /// <summary>A hash whose every byte is <paramref name="fill"/>: readable block, directory and committee names.</summary>
    public static Hash32 Hash(byte fill)
    {
        var hash = default(Hash32);
        hash.AsSpan().Fill(fill);
        return hash;
    }

    public static (SigningResult Result, Vote Vote) SignVote(
        this SafetyRules rules, ulong chainId, ulong height, Hash32 block, Hash32 directory, Decision decision)
    {
        var vote = new Vote { Round = new RoundId(chainId, height, block), DirectoryHash = directory, Decision = decision };
        var result = rules.SignVote(ref vote);
        return (result, vote);
    }

    public static (SigningResult Result, Attestation Attestation) SignAttestation(
        this SafetyRules rules, ulong chainId, ulong height, Hash32 block, Hash32 directory, Hash32 committee, Decision value)
    {
        var attestation = new Attestation
        {
            Round = new RoundId(chainId, height, block), DirectoryHash = directory, CommitteeDigest = committee, Value = value,
        };
        var result = rules.SignAttestation(ref attestation);
        return (result, attestation);
    }
}
