using System.Collections.Immutable;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Sequencer.Core.Committee;
using Sequencer.Core.Identity;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;
using Sequencer.Core.Vrf;
using Sequencer.Host.Cli;

namespace Sequencer.Host.Commands;

/// <summary>
/// <c>sequencer committee</c>: the committee a sequencer draws for a height (DESIGN §3 step 1), or <c>--verify</c>: the
/// check any node makes of a sequencer's π. Both print one line
/// <c>{"sequencer":i,"directoryHash":…,"alpha":…,"pi":…,"beta":…,"mainPeers":[{"index":…,"peerId":…}],"backupPeers":[…]}</c>,
/// the verifier's with <c>"valid":true|false</c> (and <c>"reason"</c> when false). Malformed input — an unreadable
/// directory or key, bad hex, a key that is no validator's — is an error; a well-formed proof that does not hold is an
/// answer.
/// </summary>
internal static class CommitteeCommand
{
    public static Command Create()
    {
        var directoryOption = new Option<string>("--directory") { Description = "The validator directory file (JSON with comments)", Required = true };
        var heightOption = new Option<string>("--height") { Description = "The height of the block to sequence (u64)", Required = true };
        var parentOption = new Option<string>("--parent-hex") { Description = "The 32-byte hash of the parent block, hex", Required = true };
        var chainOption = new Option<string>("--chain-id") { Description = "The chain id (u64); must be the directory's, which is the default" };
        var keyOption = new Option<string>("--key") { Description = "The sequencer's validator key file (libp2p PrivateKey protobuf, secp256k1, mode 0600)" };
        var verifyOption = new Option<bool>("--verify") { Description = "Check a given proof instead of drawing one" };
        var sequencerOption = new Option<string>("--sequencer") { Description = "With --verify: the sequencer's directory index" };
        var proofOption = new Option<string>("--pi-hex") { Description = "With --verify: the sequencer's 81-byte VRF proof, hex" };
        var command = new Command("committee", "Draw the committee of a height with the sequencer's key, or --verify a sequencer's proof")
        {
            directoryOption, heightOption, parentOption, chainOption, keyOption, verifyOption, sequencerOption, proofOption,
        };
        CommandRunner.SetAction(command, parseResult =>
        {
            var verify = parseResult.GetValue(verifyOption);
            var key = parseResult.GetValue(keyOption);
            var sequencer = parseResult.GetValue(sequencerOption);
            var proof = parseResult.GetValue(proofOption);
            if (verify && key is not null)
                throw new CommandFailedException("--key draws a committee; --verify checks one from --sequencer and --pi-hex: give one or the other");
            if (verify && (sequencer is null || proof is null))
                throw new CommandFailedException("--verify needs --sequencer and --pi-hex");
            if (!verify && (key is null || sequencer is not null || proof is not null))
                throw new CommandFailedException("give --key to draw a committee, or --verify with --sequencer and --pi-hex to check one");

            var directory = ReadDirectory(parseResult.GetRequiredValue(directoryOption));
            var height = ParseUInt64(parseResult.GetRequiredValue(heightOption), heightOption.Name);
            var parentHash = Hash32.FromSpan(ParseHex(parseResult.GetRequiredValue(parentOption), parentOption.Name, Hash32.Length));
            var chainText = parseResult.GetValue(chainOption);
            var chainId = chainText is null ? directory.ChainId : ParseUInt64(chainText, chainOption.Name);
            return verify
                ? Verify(directory, chainId, height, parentHash, sequencer!, sequencerOption.Name, proof!, proofOption.Name)
                : Draw(directory, chainId, height, parentHash, key!);
        });
        return command;
    }

    private static int Draw(ValidatorDirectory directory, ulong chainId, ulong height, Hash32 parentHash, string keyPath)
    {
        if (chainId != directory.ChainId)
            throw new CommandFailedException($"--chain-id {chainId} is not the directory's chain {directory.ChainId}");
        using var peerKey = ReadValidatorKey(keyPath);
        var key = ((Secp256k1PeerPrivateKey)peerKey).Key;
        if (!directory.TryGetByPublicKey(key.PublicKey, out var sequencer))
            throw new CommandFailedException($"the key in {keyPath} (public key {key.PublicKey}) is no validator's key in the directory");
        CommitteeSeats seats;
        try
        {
            seats = CommitteeSeats.Draw(directory, CommitteeSize.Default, sequencer.Index, key, chainId, height, parentHash);
        }
        catch (CommitteeException error)
        {
            throw new CommandFailedException(error.Message, error);
        }
        JsonOutput.WriteObject(json => WriteSeats(json, directory, (ulong)sequencer.Index, chainId, height, parentHash, seats.Proof, seats));
        return CommandRunner.Success;
    }

    private static int Verify(
        ValidatorDirectory directory, ulong chainId, ulong height, Hash32 parentHash,
        string sequencerText, string sequencerOption, string proofHex, string proofOption)
    {
        var sequencerIndex = ParseUInt64(sequencerText, sequencerOption);
        var proof = VrfProofBytes.FromSpan(ParseHex(proofHex, proofOption, EcVrf.ProofSize));
        // An index beyond any directory is still a claim that fails, like any other unknown sequencer.
        var index = (int)Math.Min(sequencerIndex, int.MaxValue);
        var valid = CommitteeSeats.TryDerive(
            directory, CommitteeSize.Default, index, chainId, height, parentHash, proof, out var seats, out var refusal);
        JsonOutput.WriteObject(json =>
        {
            json.WriteBoolean("valid", valid);
            if (!valid)
                json.WriteString("reason", refusal.Error.ToString());
            WriteSeats(json, directory, sequencerIndex, chainId, height, parentHash, proof, seats);
        });
        return CommandRunner.Success;
    }

    private static void WriteSeats(
        Utf8JsonWriter json, ValidatorDirectory directory, ulong sequencerIndex, ulong chainId, ulong height, Hash32 parentHash,
        VrfProofBytes proof, CommitteeSeats? seats)
    {
        Span<byte> alpha = stackalloc byte[CommitteeAlpha.Length];
        CommitteeAlpha.Write(chainId, height, parentHash, alpha);
        json.WriteNumber("sequencer", sequencerIndex);
        json.WriteString("directoryHash", directory.Hash.ToString());
        json.WriteString("alpha", Convert.ToHexStringLower(alpha));
        json.WriteString("pi", proof.ToString());
        if (seats is null)
        {
            json.WriteNull("beta");
            json.WriteNull("mainPeers");
            json.WriteNull("backupPeers");
            return;
        }
        json.WriteString("beta", seats.Beta.ToString());
        var peers = seats.PeerList;
        WritePeers(json, "mainPeers", peers.MainPeers);
        WritePeers(json, "backupPeers", peers.BackupPeers);
    }

    private static void WritePeers(Utf8JsonWriter json, string name, ImmutableArray<ValidatorInfo> peers)
    {
        json.WriteStartArray(name);
        foreach (var peer in peers)
        {
            json.WriteStartObject();
            json.WriteNumber("index", peer.Index);
            json.WriteString("peerId", peer.PeerId.ToString());
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static ValidatorDirectory ReadDirectory(string path)
    {
        try
        {
            return DirectoryFile.Read(path);
        }
        catch (DirectoryFormatException error)
        {
            throw new CommandFailedException($"--directory: {error.Message}", error);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new CommandFailedException($"--directory: cannot read {path}: {error.Message}", error);
        }
    }

    private static PeerPrivateKey ReadValidatorKey(string path)
    {
        PeerPrivateKey key;
        try
        {
            key = KeyFile.Read(path);
        }
        catch (KeyFileException error)
        {
            throw new CommandFailedException($"--key: {error.Message}", error);
        }
        if (key is Secp256k1PeerPrivateKey)
            return key;
        key.Dispose();
        throw new CommandFailedException($"--key: {path} holds a {key.Type} key; a validator key is secp256k1");
    }

    private static ulong ParseUInt64(string text, string option) =>
        ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CommandFailedException($"{option} must be an integer in 0 … 18446744073709551615, got '{text}'");

    private static byte[] ParseHex(string text, string option, int length)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw new CommandFailedException($"{option} is not hexadecimal (two hex digits per byte, no prefix; got {text.Length} characters)");
        }
        if (bytes.Length != length)
            throw new CommandFailedException($"{option} must be {length} bytes, got {bytes.Length}");
        return bytes;
    }
}
