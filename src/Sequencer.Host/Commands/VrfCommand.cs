using System.CommandLine;
using Sequencer.Core.Crypto;
using Sequencer.Core.Vrf;
using Sequencer.Host.Cli;

namespace Sequencer.Host.Commands;

/// <summary>
/// <c>sequencer vrf prove|verify</c>: the committee-selection VRF (ECVRF, SECP256K1_SHA256_TAI) from the command
/// line, so an operator or a script can reproduce or check a sequencer's proof. Malformed input (bad hex, wrong
/// lengths, an invalid secret) is an error; a well-formed proof that does not verify is an answer, <c>valid: false</c>.
/// </summary>
internal static class VrfCommand
{
    public static Command Create()
    {
        var command = new Command("vrf", "Prove and verify ECVRF outputs on secp256k1 (SECP256K1_SHA256_TAI, 81-byte proofs)");
        command.Subcommands.Add(CreateProve());
        command.Subcommands.Add(CreateVerify());
        return command;
    }

    private static Command CreateProve()
    {
        var secretOption = new Option<string>("--secret-hex") { Description = "The 32-byte secp256k1 secret key, hex", Required = true };
        var alphaOption = new Option<string>("--alpha-hex") { Description = "The VRF input alpha, hex (may be empty)", Required = true };
        var command = new Command("prove", "Prove alpha under a secret key: prints {\"pi\":…, \"beta\":…}");
        command.Options.Add(secretOption);
        command.Options.Add(alphaOption);
        CommandRunner.SetAction(command, parseResult =>
        {
            var alpha = ParseHex(parseResult.GetRequiredValue(alphaOption), alphaOption.Name, expectedLength: null);
            var secret = ParseHex(parseResult.GetRequiredValue(secretOption), secretOption.Name, EcVrf.SecretKeySize);
            var proof = new byte[EcVrf.ProofSize];
            try
            {
                EcVrf.Prove(secret, alpha, proof);
            }
            catch (InvalidKeyException error)
            {
                throw new CommandFailedException($"{secretOption.Name}: {error.Message}");
            }
            finally
            {
                Sodium.Wipe(secret);
            }
            var beta = new byte[EcVrf.OutputSize];
            if (!EcVrf.TryProofToHash(proof, beta))
                throw new CryptographicLibraryException("a freshly made proof did not decode");
            JsonOutput.WriteObject(json =>
            {
                json.WriteString("pi", Convert.ToHexStringLower(proof));
                json.WriteString("beta", Convert.ToHexStringLower(beta));
            });
            return CommandRunner.Success;
        });
        return command;
    }

    private static Command CreateVerify()
    {
        var publicOption = new Option<string>("--public-hex") { Description = "The 33-byte compressed secp256k1 public key, hex", Required = true };
        var alphaOption = new Option<string>("--alpha-hex") { Description = "The VRF input alpha, hex (may be empty)", Required = true };
        var proofOption = new Option<string>("--pi-hex") { Description = "The 81-byte proof, hex", Required = true };
        var command = new Command("verify", "Verify a proof: prints {\"valid\":true|false, \"beta\":…|null}");
        command.Options.Add(publicOption);
        command.Options.Add(alphaOption);
        command.Options.Add(proofOption);
        CommandRunner.SetAction(command, parseResult =>
        {
            var publicKey = ParseHex(parseResult.GetRequiredValue(publicOption), publicOption.Name, EcVrf.PublicKeySize);
            var alpha = ParseHex(parseResult.GetRequiredValue(alphaOption), alphaOption.Name, expectedLength: null);
            var proof = ParseHex(parseResult.GetRequiredValue(proofOption), proofOption.Name, EcVrf.ProofSize);
            var beta = new byte[EcVrf.OutputSize];
            var valid = EcVrf.Verify(publicKey, alpha, proof, beta);
            JsonOutput.WriteObject(json =>
            {
                json.WriteBoolean("valid", valid);
                if (valid)
                    json.WriteString("beta", Convert.ToHexStringLower(beta));
                else
                    json.WriteNull("beta");
            });
            return CommandRunner.Success;
        });
        return command;
    }

    private static byte[] ParseHex(string text, string option, int? expectedLength)
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
        if (expectedLength is { } length && bytes.Length != length)
        {
            Sodium.Wipe(bytes); // it may be a mistyped secret
            throw new CommandFailedException($"{option} must be {length} bytes, got {bytes.Length}");
        }
        return bytes;
    }
}
