using System.CommandLine;
using System.Text.Json;
using Sequencer.Core.Identity;
using Sequencer.Host.Cli;

namespace Sequencer.Host.Commands;

/// <summary>
/// <c>sequencer keys generate|inspect</c>: the node's libp2p identity key. Both print
/// <c>{"type":…,"peerId":…,"publicKey":"&lt;PublicKey protobuf hex&gt;"}</c>, the values a js or go peer shows.
/// </summary>
internal static class KeysCommand
{
    private const string Ed25519Name = "ed25519";
    private const string Secp256k1Name = "secp256k1";

    public static Command Create()
    {
        var command = new Command("keys", "Generate and inspect libp2p identity keys");
        command.Subcommands.Add(CreateGenerate());
        command.Subcommands.Add(CreateInspect());
        return command;
    }

    private static Command CreateGenerate()
    {
        var type = new Option<string>("--type") { Description = "Key type", Required = true };
        type.AcceptOnlyFromAmong(Secp256k1Name, Ed25519Name);
        var output = new Option<string>("--out") { Description = "File to create (mode 0600); never overwritten", Required = true };
        var command = new Command("generate", "Generate an identity key into a new file (a libp2p PrivateKey protobuf)") { type, output };
        CommandRunner.SetAction(command, parseResult =>
        {
            var keyType = parseResult.GetRequiredValue(type) == Ed25519Name ? KeyType.Ed25519 : KeyType.Secp256k1;
            var path = parseResult.GetRequiredValue(output);
            using var key = PeerPrivateKey.Generate(keyType);
            try
            {
                KeyFile.Write(path, key);
            }
            catch (KeyFileException error)
            {
                throw new CommandFailedException(error.Message, error);
            }
            WriteKey(key.PublicKey, json => json.WriteString("file", Path.GetFullPath(path)));
            return CommandRunner.Success;
        });
        return command;
    }

    private static Command CreateInspect()
    {
        var file = new Option<string>("--file") { Description = "A key file (libp2p PrivateKey protobuf, mode 0600)" };
        var protobufHex = new Option<string>("--protobuf-hex") { Description = "A libp2p PrivateKey or PublicKey protobuf in hex" };
        var command = new Command("inspect", "Show the type, peer id and public key of a key file or key protobuf") { file, protobufHex };
        command.Validators.Add(result =>
        {
            if ((result.GetResult(file) is null) == (result.GetResult(protobufHex) is null))
                result.AddError("give exactly one of --file and --protobuf-hex");
        });
        CommandRunner.SetAction(command, parseResult =>
        {
            var path = parseResult.GetValue(file);
            if (path is not null)
            {
                using var key = ReadKeyFile(path);
                WriteKey(key.PublicKey);
            }
            else
            {
                WriteKey(DecodeProtobuf(parseResult.GetRequiredValue(protobufHex)));
            }
            return CommandRunner.Success;
        });
        return command;
    }

    private static PeerPrivateKey ReadKeyFile(string path)
    {
        try
        {
            return KeyFile.Read(path);
        }
        catch (KeyFileException error)
        {
            throw new CommandFailedException(error.Message, error);
        }
    }

    /// <summary>
    /// A PublicKey and a PrivateKey protobuf share one schema; the Data length tells them apart (Ed25519: 32 bytes
    /// public, 64 private; secp256k1: 33 public, 32 private), so at most one reading succeeds.
    /// </summary>
    private static PeerPublicKey DecodeProtobuf(string hex)
    {
        byte[] protobuf;
        try
        {
            protobuf = Convert.FromHexString(hex.Trim());
        }
        catch (FormatException)
        {
            throw new CommandFailedException($"--protobuf-hex is not hexadecimal (an even number of digits 0-9, a-f): '{Shorten(hex)}'");
        }

        var publicError = PeerPublicKey.TryDecodeProtobuf(protobuf, out var publicKey);
        if (publicKey is not null)
            return publicKey;
        var privateError = PeerPrivateKey.TryDecodeProtobuf(protobuf, out var privateKey);
        if (privateKey is not null)
        {
            using (privateKey)
                return privateKey.PublicKey;
        }
        throw new CommandFailedException(publicError == privateError
            ? $"not a usable libp2p key protobuf: {publicError.Describe()}"
            : $"not a usable libp2p key protobuf: as a PublicKey, {publicError.Describe()}; as a PrivateKey, {privateError.Describe()}");
    }

    private static void WriteKey(PeerPublicKey key, Action<Utf8JsonWriter>? more = null) =>
        JsonOutput.WriteObject(json =>
        {
            json.WriteString("type", key.Type == KeyType.Ed25519 ? Ed25519Name : Secp256k1Name);
            json.WriteString("peerId", key.ToPeerId().ToString());
            json.WriteString("publicKey", Convert.ToHexStringLower(key.ToProtobuf()));
            more?.Invoke(json);
        });

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
