using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Sequencer.Host.Tests;

/// <summary>
/// A 30-validator network on disk: validator i's key file holds the libp2p PrivateKey protobuf of the test secret
/// SHA-256("jmzk/sequencer/test-validator/i"); public keys and peer ids come from <c>sequencer keys inspect</c>.
/// </summary>
[SupportedOSPlatform("linux")] // key files carry Unix modes
public sealed class CommitteeNetwork : IDisposable
{
    public const int Validators = 30;
    public const ulong ChainId = 7;

    public CommitteeNetwork()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("committee-cli-").FullName;
        var entries = new StringBuilder();
        for (var i = 0; i < Validators; i++)
        {
            var secret = SHA256.HashData(Encoding.UTF8.GetBytes($"jmzk/sequencer/test-validator/{i}"));
            var keyFile = KeyFile(i);
            WriteKeyFile(keyFile, [0x08, 0x02, 0x12, 0x20, .. secret]);
            var inspect = NativeBinary.Instance.Run("keys", "inspect", "--file", keyFile);
            Assert.Equal(0, inspect.ExitCode);
            using var json = JsonDocument.Parse(inspect.StandardOutput);
            var peerId = json.RootElement.GetProperty("peerId").GetString()!;
            // A secp256k1 PublicKey protobuf: 08 02 12 21 then the 33-byte compressed key.
            var publicKey = json.RootElement.GetProperty("publicKey").GetString()![8..];
            PeerIds.Add(peerId);
            PublicKeys.Add(publicKey);
            entries.Append($$"""
                    // validator {{i}}
                    { "peerId": "{{peerId}}", "publicKey": "{{publicKey}}", "weight": {{i % 5 + 1}}, "region": "r{{i % 3}}",
                      "addresses": ["/ip4/127.0.0.1/tcp/{{4000 + i}}"] }{{(i < Validators - 1 ? "," : "")}}

                """);
        }
        DirectoryFile = Path.Combine(Directory, "directory.jsonc");
        File.WriteAllText(DirectoryFile, $$"""
            // A generated test network.
            { "version": 1, "chainId": {{ChainId}}, "epoch": 0, "validators": [
            {{entries}}] }
            """);
    }

    public string Directory { get; }

    public string DirectoryFile { get; }

    public List<string> PeerIds { get; } = [];

    /// <summary>Compressed validator keys, hex.</summary>
    public List<string> PublicKeys { get; } = [];

    public string KeyFile(int validator) => Path.Combine(Directory, $"validator-{validator}.key");

    public static void WriteKeyFile(string path, byte[] protobuf, UnixFileMode mode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        using var file = new FileStream(path, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode });
        file.Write(protobuf);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary><c>sequencer committee</c> (draw and <c>--verify</c>) through the published binary.</summary>
[SupportedOSPlatform("linux")]
public sealed class CommitteeCommandTests(CommitteeNetwork network) : IClassFixture<CommitteeNetwork>
{
    private const string Parent = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";
    private readonly NativeBinary _binary = NativeBinary.Instance;

    private ProcessResult Draw(int sequencer, string height = "42", string parent = Parent, params string[] more) =>
        _binary.Run(["committee", "--directory", network.DirectoryFile, "--height", height, "--parent-hex", parent,
            "--key", network.KeyFile(sequencer), .. more]);

    private ProcessResult Verify(string sequencer, string pi, string height = "42", string parent = Parent, params string[] more) =>
        _binary.Run(["committee", "--verify", "--directory", network.DirectoryFile, "--height", height, "--parent-hex", parent,
            "--sequencer", sequencer, "--pi-hex", pi, .. more]);

    private static JsonElement Json(ProcessResult result)
    {
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Equal(string.Empty, result.StandardError);
        Assert.Single(result.StandardOutput.TrimEnd('\n').Split('\n'));
        return JsonDocument.Parse(result.StandardOutput).RootElement.Clone();
    }

    private static int[] Indices(JsonElement peers) => peers.EnumerateArray().Select(p => p.GetProperty("index").GetInt32()).ToArray();

    [Fact]
    public void TheSequencerDrawsThirteenMainsAndTenBackupsWithoutItself()
    {
        var json = Json(Draw(5));
        Assert.Equal(5, json.GetProperty("sequencer").GetInt32());
        Assert.Equal("0000000000000007" + "000000000000002a" + Parent, json.GetProperty("alpha").GetString());
        Assert.Equal(162, json.GetProperty("pi").GetString()!.Length);
        Assert.Equal(64, json.GetProperty("beta").GetString()!.Length);
        Assert.Equal(64, json.GetProperty("directoryHash").GetString()!.Length);
        var main = Indices(json.GetProperty("mainPeers"));
        var backup = Indices(json.GetProperty("backupPeers"));
        Assert.Equal(13, main.Length);
        Assert.Equal(10, backup.Length);
        var all = main.Concat(backup).ToArray();
        Assert.Equal(all.Length, all.Distinct().Count());
        Assert.DoesNotContain(5, all);
        Assert.All(all, i => Assert.InRange(i, 0, CommitteeNetwork.Validators - 1));
        foreach (var peer in json.GetProperty("mainPeers").EnumerateArray().Concat(json.GetProperty("backupPeers").EnumerateArray()))
            Assert.Equal(network.PeerIds[peer.GetProperty("index").GetInt32()], peer.GetProperty("peerId").GetString());
    }

    [Fact]
    public void TheProofIsTheVrfOfAlphaUnderTheSequencersKey()
    {
        var json = Json(Draw(5));
        var vrf = Json(_binary.Run("vrf", "verify", "--public-hex", network.PublicKeys[5],
            "--alpha-hex", json.GetProperty("alpha").GetString()!, "--pi-hex", json.GetProperty("pi").GetString()!));
        Assert.True(vrf.GetProperty("valid").GetBoolean());
        Assert.Equal(json.GetProperty("beta").GetString(), vrf.GetProperty("beta").GetString());
    }

    [Fact]
    public void TheDrawIsDeterministicAndChangesWithHeightParentAndSequencer()
    {
        var first = Draw(5).StandardOutput;
        Assert.Equal(first, Draw(5).StandardOutput);
        var main = Indices(Json(Draw(5)).GetProperty("mainPeers"));
        Assert.NotEqual(main, Indices(Json(Draw(5, height: "43")).GetProperty("mainPeers")));
        Assert.NotEqual(main, Indices(Json(Draw(5, parent: new string('0', 64))).GetProperty("mainPeers")));
        Assert.NotEqual(main, Indices(Json(Draw(6)).GetProperty("mainPeers")));
    }

    [Fact]
    public void VerifyRederivesTheSameCommitteeFromTheProof()
    {
        var drawn = Json(Draw(5));
        var verified = Json(Verify("5", drawn.GetProperty("pi").GetString()!));
        Assert.True(verified.GetProperty("valid").GetBoolean());
        Assert.False(verified.TryGetProperty("reason", out _));
        foreach (var name in new[] { "sequencer", "directoryHash", "alpha", "pi", "beta" })
            Assert.Equal(drawn.GetProperty(name).ToString(), verified.GetProperty(name).ToString());
        Assert.Equal(Indices(drawn.GetProperty("mainPeers")), Indices(verified.GetProperty("mainPeers")));
        Assert.Equal(Indices(drawn.GetProperty("backupPeers")), Indices(verified.GetProperty("backupPeers")));
    }

    [Theory]
    [InlineData("6", "42", Parent, new string[0], "BadProof")]
    [InlineData("5", "43", Parent, new string[0], "BadProof")]
    [InlineData("5", "42", "00" + "b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", new string[0], "BadProof")]
    [InlineData("30", "42", Parent, new string[0], "UnknownSequencer")]
    [InlineData("18446744073709551615", "42", Parent, new string[0], "UnknownSequencer")]
    [InlineData("5", "42", Parent, new[] { "--chain-id", "8" }, "WrongChain")]
    public void VerifyAnswersFalseForAProofThatDoesNotHold(string sequencer, string height, string parent, string[] more, string reason)
    {
        var pi = Json(Draw(5)).GetProperty("pi").GetString()!;
        var verified = Json(Verify(sequencer, pi, height, parent, more));
        Assert.False(verified.GetProperty("valid").GetBoolean());
        Assert.Equal(reason, verified.GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.Null, verified.GetProperty("beta").ValueKind);
        Assert.Equal(JsonValueKind.Null, verified.GetProperty("mainPeers").ValueKind);
        Assert.Equal(JsonValueKind.Null, verified.GetProperty("backupPeers").ValueKind);
        Assert.Equal(sequencer, verified.GetProperty("sequencer").ToString());
    }

    [Fact]
    public void VerifyAnswersFalseForATamperedProof()
    {
        var pi = Json(Draw(5)).GetProperty("pi").GetString()!;
        var tampered = pi[..100] + (pi[100] == '0' ? '1' : '0') + pi[101..];
        Assert.False(Json(Verify("5", tampered)).GetProperty("valid").GetBoolean());
    }

    private void AssertError(ProcessResult result, string expected)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.StartsWith("error: ", result.StandardError);
        Assert.Contains(expected, result.StandardError);
    }

    [Fact]
    public void MalformedInputIsAnErrorOnStderr()
    {
        AssertError(Draw(5, parent: "zz"), "--parent-hex is not hexadecimal");
        AssertError(Draw(5, parent: "abcd"), "--parent-hex must be 32 bytes, got 2");
        AssertError(Draw(5, height: "-1"), "--height must be an integer");
        AssertError(Draw(5, height: "18446744073709551616"), "--height must be an integer");
        AssertError(Draw(5, more: ["--chain-id", "8"]), "--chain-id 8 is not the directory's chain 7");
        AssertError(Verify("5", "abcd"), "--pi-hex must be 81 bytes, got 2");
        AssertError(Verify("x", new string('0', 162)), "--sequencer must be an integer");
    }

    [Fact]
    public void ModesAreNotMixed()
    {
        var pi = new string('0', 162);
        AssertError(_binary.Run("committee", "--directory", network.DirectoryFile, "--height", "1", "--parent-hex", Parent),
            "give --key to draw a committee");
        AssertError(Draw(5, more: ["--pi-hex", pi]), "give --key to draw a committee");
        AssertError(Verify("5", pi, more: ["--key", network.KeyFile(5)]), "give one or the other");
        AssertError(_binary.Run("committee", "--verify", "--directory", network.DirectoryFile, "--height", "1", "--parent-hex", Parent,
            "--sequencer", "5"), "--verify needs --sequencer and --pi-hex");
    }

    [Fact]
    public void KeysThatCannotSequenceAreRefused()
    {
        var outsider = Path.Combine(network.Directory, "outsider.key");
        CommitteeNetwork.WriteKeyFile(outsider, [0x08, 0x02, 0x12, 0x20, .. SHA256.HashData("outsider"u8)]);
        AssertError(_binary.Run("committee", "--directory", network.DirectoryFile, "--height", "1", "--parent-hex", Parent,
            "--key", outsider), "is no validator's key in the directory");

        var ed25519 = Path.Combine(network.Directory, "ed25519.key");
        Assert.Equal(0, _binary.Run("keys", "generate", "--type", "ed25519", "--out", ed25519).ExitCode);
        AssertError(_binary.Run("committee", "--directory", network.DirectoryFile, "--height", "1", "--parent-hex", Parent,
            "--key", ed25519), "a validator key is secp256k1");

        var exposed = Path.Combine(network.Directory, "exposed.key");
        CommitteeNetwork.WriteKeyFile(exposed, [0x08, 0x02, 0x12, 0x20, .. SHA256.HashData("exposed"u8)],
            UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        AssertError(_binary.Run("committee", "--directory", network.DirectoryFile, "--height", "1", "--parent-hex", Parent,
            "--key", exposed), "--key: ");
        AssertError(_binary.Run("committee", "--directory", network.DirectoryFile, "--height", "1", "--parent-hex", Parent,
            "--key", Path.Combine(network.Directory, "missing.key")), "--key: ");
    }

    [Fact]
    public void ABrokenDirectoryIsReportedWithItsLocation()
    {
        var broken = Path.Combine(network.Directory, "broken.jsonc");
        File.WriteAllText(broken, File.ReadAllText(network.DirectoryFile).Replace("\"weight\": 3", "\"weight\": 0", StringComparison.Ordinal));
        var result = _binary.Run("committee", "--directory", broken, "--height", "1", "--parent-hex", Parent, "--key", network.KeyFile(0));
        AssertError(result, $"--directory: {broken}:");
        Assert.Contains("$.validators[2].weight: the weight must be positive", result.StandardError);

        AssertError(_binary.Run("committee", "--directory", Path.Combine(network.Directory, "none.jsonc"), "--height", "1",
            "--parent-hex", Parent, "--key", network.KeyFile(0)), "--directory: cannot read");
    }
}
