using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Safety;

/// <summary>
/// The whole specification of S1/S2 without pruning, as a dictionary: the first request signed at a key is the only
/// statement ever signed there; asking for it again returns its signature; anything else at that key is refused
/// with the stored and requested numbers.
/// </summary>
internal sealed class SafetyModel
{
    private readonly Dictionary<(ulong, ulong, SafetyRecordKind), (SigningRequest Request, byte[] Signature)> _signed = [];

    public void Check(SigningRequest request, SigningResult result, byte[] signature, int signerCallsBefore, int signerCallsAfter)
    {
        if (!_signed.TryGetValue(request.Key, out var first))
        {
            Assert.Equal(SigningStatus.Signed, result.Status);
            Assert.Equal(signerCallsBefore + 1, signerCallsAfter);
            Assert.Contains(signature, b => b != 0);
            _signed.Add(request.Key, (request, signature));
            return;
        }
        Assert.Equal(signerCallsBefore, signerCallsAfter);
        if (first.Request == request)
        {
            Assert.Equal(SigningStatus.Resent, result.Status);
            Assert.Equal(first.Signature, signature);
            return;
        }
        Assert.Equal(SigningStatus.Refused, result.Status);
        Assert.All(signature, b => Assert.Equal(0, b));
        SafetyViolation expected = request.Kind == SafetyRecordKind.Vote
            ? new SafetyViolation.AlreadyVoted(request.Chain, request.Height,
                SigningHelpers.Hash(first.Request.Block), first.Request.Value, SigningHelpers.Hash(request.Block), request.Value)
            : new SafetyViolation.AlreadyAttested(request.Chain, request.Height,
                SigningHelpers.Hash(first.Request.Block), first.Request.Value, SigningHelpers.Hash(request.Block), request.Value);
        Assert.Equal(expected, result.Violation);
    }
}
