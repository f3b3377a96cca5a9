using System.Buffers;
using System.CommandLine;
using Sequencer.Core.Committee;
using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
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
        // Validator #0, the sequencer, is the identity generated in step 1; the others are fresh keys.
        using var sequencerIdentity = ShowIdentities(output);
        var validatorKeys = new Secp256k1PrivateKey[DirectorySize];
        validatorKeys[0] = sequencerIdentity.Key;
        try
        {
            for (var i = 1; i < DirectorySize; i++)
                validatorKeys[i] = Secp256k1PrivateKey.Generate();
            var directory = ShowDirectory(output, validatorKeys);
            var round = ShowCommittee(output, directory, validatorKeys[0]);
            ShowSignedVote(output, directory, round, validatorKeys);
        }
        finally
        {
            for (var i = 1; i < DirectorySize; i++)
                validatorKeys[i]?.Dispose();
        }
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

    private static ValidatorDirectory ShowDirectory(TextWriter output, Secp256k1PrivateKey[] validatorKeys)
    {
        var specs = new ValidatorSpec[validatorKeys.Length];
        for (var i = 0; i < validatorKeys.Length; i++)
        {
            var publicKey = validatorKeys[i].PublicKey;
            var peerId = new Secp256k1PeerPublicKey(publicKey).ToPeerId();
            specs[i] = new ValidatorSpec(peerId, publicKey, (ulong)(i + 1), i % 2 == 0 ? "eu" : "us", [$"/ip4/127.0.0.1/tcp/{4001 + i}"]);
        }
        var directory = ValidatorDirectory.Create(ChainId, epoch: 1, specs);
        output.WriteLine($"2. Validator directory: {directory.Count} validators weighted 1..{directory.Count}, total weight {directory.TotalWeight}");
        output.WriteLine($"   directory hash {directory.Hash} (bound into every signed message)");
        output.WriteLine();
        return directory;
    }

    private static RoundId ShowCommittee(TextWriter output, ValidatorDirectory directory, Secp256k1PrivateKey sequencerKey)
    {
        output.WriteLine("3. Committee by verifiable random function (ECVRF, SECP256K1_SHA256_TAI), sequencer #0");
        var parentBytes = new byte[32];
        Sodium.FillRandom(parentBytes);
        var parentHash = Hash32.FromSpan(parentBytes);
        var seats = CommitteeSeats.Draw(directory, CommitteeSize.Default, 0, sequencerKey, ChainId, Height, parentHash);
        output.WriteLine($"   alpha   chainId {ChainId} ‖ height {Height} ‖ parent {parentHash.ToString()[..16]}… (never the block's own hash)");
        output.WriteLine($"   pi      {Convert.ToHexStringLower(seats.Proof.AsReadOnlySpan())[..48]}… ({EcVrf.ProofSize} bytes)");
        output.WriteLine($"   beta    {seats.Beta}");
        output.WriteLine($"   main    {Seats(seats.PeerList.MainPeers)}");
        output.WriteLine($"   backups {Seats(seats.PeerList.BackupPeers)}");

        Check(CommitteeSeats.TryDerive(directory, CommitteeSize.Default, 0, ChainId, Height, parentHash, seats.Proof, out var derived, out _)
              && Seats(derived.PeerList.MainPeers) == Seats(seats.PeerList.MainPeers)
              && Seats(derived.PeerList.BackupPeers) == Seats(seats.PeerList.BackupPeers),
            "another node derived a different committee from the proof");
        output.WriteLine("   another node, given only pi, verifies it and derives exactly this committee");
        Check(!CommitteeSeats.TryDerive(directory, CommitteeSize.Default, 0, ChainId, Height + 1, parentHash, seats.Proof, out _, out var refusal),
            "a VRF proof verified for another height");
        output.WriteLine($"   the same pi offered for height {Height + 1}: refused ({refusal.Error})");
        output.WriteLine();

        var blockBytes = new byte[32];
        Sodium.FillRandom(blockBytes);
        return new RoundId(ChainId, Height, Hash32.FromSpan(blockBytes));
    }

    private static void ShowSignedVote(TextWriter output, ValidatorDirectory directory, RoundId round, Secp256k1PrivateKey[] validatorKeys)
    {
        const int voterIndex = 7;
        output.WriteLine($"4. A signed vote from validator #{voterIndex} through the wire codec");
        var vote = new Vote
        {
            Round = round,
            DirectoryHash = directory.Hash,
            VoterIndex = voterIndex,
            Decision = Decision.Accept,
        };
        Span<byte> digest = stackalloc byte[32];
        vote.ComputeSigningDigest(digest);
        validatorKeys[voterIndex].SignSchnorr(digest, vote.Signature.AsSpan());

        var buffer = new ArrayBufferWriter<byte>();
        vote.Encode(buffer);
        var encoded = buffer.WrittenMemory.ToArray();
        Check(Vote.TryDecode(new ReadOnlySequence<byte>(encoded), out var decoded).IsOk && decoded.Equals(vote), "the vote does not round-trip");
        var voterKey = directory[(int)decoded.VoterIndex].SchnorrKey;
        decoded.ComputeSigningDigest(digest);
        Check(voterKey.Verify(digest, decoded.Signature.AsReadOnlySpan()), "the decoded vote's signature does not verify");
        output.WriteLine($"   vote for block {round.BlockHash.ToString()[..16]}… encoded in {encoded.Length} bytes, decoded, BIP340 signature valid under the directory's key");

        encoded[^1] ^= 0x01;
        var tampered = Vote.TryDecode(new ReadOnlySequence<byte>(encoded), out var flipped);
        flipped.ComputeSigningDigest(digest);
        Check(!tampered.IsOk || !voterKey.Verify(digest, flipped.Signature.AsReadOnlySpan()), "a tampered vote verified");
        output.WriteLine("   the same vote with one bit flipped: its signature no longer verifies");
    }

    private static string Seats(IEnumerable<ValidatorInfo> validators) => string.Join(' ', validators.Select(v => $"#{v.Index}"));

    private static void Check(bool condition, string failure)
    {
        if (!condition)
            throw new CommandFailedException($"demo check failed: {failure}");
    }
}
