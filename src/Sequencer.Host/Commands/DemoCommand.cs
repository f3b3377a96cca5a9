using System.Buffers;
using System.Buffers.Binary;
using System.CommandLine;
using Sequencer.Core.Committee;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Core.Primitives;
using Sequencer.Core.Vrf;
using Sequencer.Core.Wire;
using Sequencer.Host.Cli;

namespace Sequencer.Host.Commands;

/// <summary>
/// <c>sequencer demo</c>: a short, readable walk through the foundations every round stands on — identities and peer
/// ids, key files, the VRF that picks a committee, and a signed vote through the wire codec — each step checked, so a
/// failure says which foundation broke. Every value is computed live with fresh keys.
/// </summary>
internal static class DemoCommand
{
    private const ulong ChainId = 1;
    private const ulong Height = 42;
    private const int DirectorySize = 24;
    private const int MainPeers = 13;
    private const int BackupPeers = 10;

    public static Command Create()
    {
        var command = new Command("demo", "Walk through keys, peer ids, the VRF, committee selection and a signed vote");
        CommandRunner.SetAction(command, _ =>
        {
            Run(Console.Out);
            return CommandRunner.Success;
        });
        return command;
    }

    private static void Run(TextWriter output)
    {
        output.WriteLine("Sequencer demo: the foundations of a round, computed live");
        output.WriteLine();
        using var validatorKey = ShowIdentities(output);
        var beta = ShowVrf(output, validatorKey.Key);
        ShowCommittee(output, beta);
        ShowSignedVote(output, validatorKey.Key);
        output.WriteLine();
        output.WriteLine("Every step checked out.");
    }

    private static Secp256k1PeerPrivateKey ShowIdentities(TextWriter output)
    {
        output.WriteLine("1. Identities (libp2p keys, peer ids, key files)");
        using (var nodeKey = PeerPrivateKey.Generate(KeyType.Ed25519))
            output.WriteLine($"   node key       Ed25519    peer id {nodeKey.PublicKey.ToPeerId()}");
        var validatorKey = (Secp256k1PeerPrivateKey)PeerPrivateKey.Generate(KeyType.Secp256k1);
        var peerId = validatorKey.PublicKey.ToPeerId();
        output.WriteLine($"   validator key  secp256k1  peer id {peerId}");
        output.WriteLine($"                             as CID  {peerId.ToCidString()}");

        var directory = Directory.CreateTempSubdirectory("sequencer-demo-");
        try
        {
            var path = Path.Combine(directory.FullName, "validator.key");
            KeyFile.Write(path, validatorKey);
            using var reread = KeyFile.Read(path);
            Check(reread.PublicKey.ToPeerId() == peerId, "a key file read back gives another peer id");
            output.WriteLine($"   key file       written with mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}, read back to the same peer id");
        }
        finally
        {
            directory.Delete(recursive: true);
        }
        output.WriteLine();
        return validatorKey;
    }

    private static byte[] ShowVrf(TextWriter output, Secp256k1PrivateKey validatorKey)
    {
        output.WriteLine("2. Verifiable random function (ECVRF, SECP256K1_SHA256_TAI)");
        var parentHash = new byte[32];
        Sodium.FillRandom(parentHash);
        var alpha = Alpha(Height, parentHash);
        Span<byte> secret = stackalloc byte[Secp256k1PrivateKey.Size];
        var proof = new byte[EcVrf.ProofSize];
        try
        {
            validatorKey.CopySecretTo(secret);
            EcVrf.Prove(secret, alpha, proof);
        }
        finally
        {
            Sodium.Wipe(secret);
        }
        var beta = new byte[EcVrf.OutputSize];
        Check(EcVrf.Verify(validatorKey.PublicKey.Compressed, alpha, proof, beta), "the VRF proof does not verify");
        output.WriteLine($"   alpha  chainId {ChainId} ‖ height {Height} ‖ parent {Convert.ToHexStringLower(parentHash)[..16]}…");
        output.WriteLine($"   pi     {Convert.ToHexStringLower(proof)[..48]}… ({proof.Length} bytes)");
        output.WriteLine($"   beta   {Convert.ToHexStringLower(beta)}");
        output.WriteLine("   verify with the sequencer's public key: valid");
        Check(!EcVrf.Verify(validatorKey.PublicKey.Compressed, Alpha(Height + 1, parentHash), proof, new byte[EcVrf.OutputSize]),
            "a VRF proof verified for another height");
        output.WriteLine($"   the same proof for height {Height + 1}: invalid (a proof is bound to its alpha)");
        output.WriteLine();
        return beta;
    }

    private static void ShowCommittee(TextWriter output, byte[] beta)
    {
        output.WriteLine($"3. Committee drawn from beta ({DirectorySize} validators weighted 1..{DirectorySize}, sequencer #0 excluded)");
        var candidates = new WeightedCandidate[DirectorySize - 1];
        for (var i = 1; i < DirectorySize; i++)
            candidates[i - 1] = new WeightedCandidate(i, (ulong)i);
        var seats = CommitteeSampler.Select(beta, candidates, MainPeers + BackupPeers);
        Check(seats.Distinct().Count() == seats.Length, "the committee repeats a validator");
        output.WriteLine($"   main buddies  {string.Join(' ', seats.Take(MainPeers).Select(i => $"#{i}"))}");
        output.WriteLine($"   backups       {string.Join(' ', seats.Skip(MainPeers).Select(i => $"#{i}"))}");
        output.WriteLine("   anyone holding the directory and the proof re-derives exactly this order");
        output.WriteLine();
    }

    private static void ShowSignedVote(TextWriter output, Secp256k1PrivateKey validatorKey)
    {
        output.WriteLine("4. A signed vote through the wire codec");
        var blockHash = new byte[32];
        Sodium.FillRandom(blockHash);
        var vote = new Vote
        {
            Round = new RoundId(ChainId, Height, Hash32.FromSpan(blockHash)),
            DirectoryHash = default,
            VoterIndex = 7,
            Decision = Decision.Accept,
        };
        Span<byte> digest = stackalloc byte[32];
        vote.ComputeSigningDigest(digest);
        validatorKey.SignSchnorr(digest, vote.Signature.AsSpan());

        var buffer = new ArrayBufferWriter<byte>();
        vote.Encode(buffer);
        var encoded = buffer.WrittenMemory.ToArray();
        Check(Vote.TryDecode(new ReadOnlySequence<byte>(encoded), out var decoded).IsOk && decoded.Equals(vote), "the vote does not round-trip");
        decoded.ComputeSigningDigest(digest);
        Check(validatorKey.PublicKey.VerifySchnorr(digest, decoded.Signature.AsReadOnlySpan()), "the decoded vote's signature does not verify");
        output.WriteLine($"   vote for block {Convert.ToHexStringLower(blockHash)[..16]}… encoded in {encoded.Length} bytes, decoded, BIP340 signature valid");

        encoded[^1] ^= 0x01;
        var tampered = Vote.TryDecode(new ReadOnlySequence<byte>(encoded), out var flipped);
        flipped.ComputeSigningDigest(digest);
        Check(!tampered.IsOk || !validatorKey.PublicKey.VerifySchnorr(digest, flipped.Signature.AsReadOnlySpan()), "a tampered vote verified");
        output.WriteLine("   the same vote with one bit flipped: its signature no longer verifies");
    }

    /// <summary>α = chainId ‖ height ‖ parentHash, big-endian: the VRF input of DESIGN §3 step 1.</summary>
    private static byte[] Alpha(ulong height, byte[] parentHash)
    {
        var alpha = new byte[16 + parentHash.Length];
        BinaryPrimitives.WriteUInt64BigEndian(alpha, ChainId);
        BinaryPrimitives.WriteUInt64BigEndian(alpha.AsSpan(8), height);
        parentHash.CopyTo(alpha, 16);
        return alpha;
    }

    private static void Check(bool condition, string failure)
    {
        if (!condition)
            throw new CommandFailedException($"demo check failed: {failure}");
    }
}
