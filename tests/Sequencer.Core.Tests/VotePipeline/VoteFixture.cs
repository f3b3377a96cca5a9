using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Primitives;
using Sequencer.Core.VotePipeline;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.VotePipeline;

/// <summary>
/// A small directory with real BIP340 keys (voter i weighs i + 1) and one round, with every vote pre-signed: each
/// voter's Accept and Reject (the pair an equivocator sends), a second valid signature over each (the same vote
/// signed again), and forgeries. Signatures use fixed auxiliary randomness, so every run sees the same bytes.
/// </summary>
public static class VoteFixture
{
    public const int VoterCount = 24;

    public static readonly RoundId Round = new(7, 42, Hash("block at 42"));

    public static readonly Hash32 DirectoryHash = Hash("directory epoch 3");

    private static readonly Secp256k1PrivateKey[] Keys = Enumerable.Range(0, VoterCount)
        .Select(i => Secp256k1PrivateKey.FromBytes(SHA256.HashData(Encoding.UTF8.GetBytes($"vote-pipeline-voter-{i}"))))
        .ToArray();

    public static readonly VoterRoster Roster = new(
        DirectoryHash,
        Keys.Select(key => key.PublicKey.SchnorrKey).ToArray(),
        Enumerable.Range(0, VoterCount).Select(i => (ulong)i + 1).ToArray());

    private static readonly Vote[] SignedVotes = SignAll(auxiliary: 1);
    private static readonly Vote[] ResignedVotes = SignAll(auxiliary: 2);

    public static ulong Weight(uint voter) => voter + 1UL;

    public static Decision Opposite(Decision decision) => decision == Decision.Accept ? Decision.Reject : Decision.Accept;

    /// <summary>The voter's valid vote for the fixture round.</summary>
    public static Vote Signed(uint voter, Decision decision) => SignedVotes[Slot(voter, decision)];

    /// <summary>The same vote with another valid signature (other auxiliary randomness).</summary>
    public static Vote Resigned(uint voter, Decision decision) => ResignedVotes[Slot(voter, decision)];

    /// <summary>A valid signature by the voter over another round or directory.</summary>
    public static Vote SignedFor(uint voter, Decision decision, in RoundId round, in Hash32 directory, byte auxiliary = 1)
    {
        var vote = new Vote { Round = round, DirectoryHash = directory, VoterIndex = voter, Decision = decision };
        Span<byte> digest = stackalloc byte[32];
        vote.ComputeSigningDigest(digest);
        Span<byte> aux = stackalloc byte[32];
        aux.Fill(auxiliary);
        Keys[voter].SignSchnorr(digest, aux, vote.Signature);
        return vote;
    }

    /// <summary>The voter's vote with one bit of its signature flipped.</summary>
    public static Vote Forged(uint voter, Decision decision, int bit = 0)
    {
        var vote = Signed(voter, decision);
        vote.Signature[bit / 8 % SchnorrSignature.Length] ^= (byte)(1 << (bit % 8));
        return vote;
    }

    /// <summary>A vote for <paramref name="voter"/> signed by another voter's key.</summary>
    public static Vote SignedByAnother(uint voter, Decision decision)
    {
        var vote = Signed(voter, decision);
        vote.Signature = SignatureOf((voter + 1) % VoterCount, vote);
        return vote;
    }

    public static byte[] Encode(in Vote vote)
    {
        var output = new ArrayBufferWriter<byte>();
        vote.Encode(output);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>A delta for the fixture round holding <paramref name="votes"/> (put into canonical order).</summary>
    public static byte[] EncodeDelta(IEnumerable<Vote> votes, in RoundId round, in Hash32 directory)
    {
        var entries = votes.Select(vote => VoteSetEntry.FromVote(vote))
            .OrderBy(entry => entry.VoterIndex).ThenBy(entry => entry.Decision).ToArray();
        var output = new ArrayBufferWriter<byte>();
        VoteSetDelta.Encode(output, round, directory, entries);
        return output.WrittenSpan.ToArray();
    }

    public static byte[] EncodeDelta(IEnumerable<Vote> votes) => EncodeDelta(votes, Round, DirectoryHash);

    public static ReadOnlySequence<byte> Sequence(byte[] bytes) => new(bytes);

    private static SchnorrSignature SignatureOf(uint signer, in Vote vote)
    {
        Span<byte> digest = stackalloc byte[32];
        vote.ComputeSigningDigest(digest);
        Span<byte> aux = stackalloc byte[32];
        var signature = default(SchnorrSignature);
        Keys[signer].SignSchnorr(digest, aux, signature);
        return signature;
    }

    private static int Slot(uint voter, Decision decision) => (int)voter * 2 + (decision == Decision.Reject ? 1 : 0);

    private static Vote[] SignAll(byte auxiliary)
    {
        var votes = new Vote[VoterCount * 2];
        for (var voter = 0u; voter < VoterCount; voter++)
        {
            votes[Slot(voter, Decision.Accept)] = SignedFor(voter, Decision.Accept, Round, DirectoryHash, auxiliary);
            votes[Slot(voter, Decision.Reject)] = SignedFor(voter, Decision.Reject, Round, DirectoryHash, auxiliary);
        }
        return votes;
    }

    private static Hash32 Hash(string text) => Hash32.FromSpan(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
