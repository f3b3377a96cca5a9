using System.Text.Json;

namespace Sequencer.Host.Tests;

public sealed class KeysCommandTests : IDisposable
{
    private readonly NativeBinary _binary = NativeBinary.Instance;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("sequencer-keys-");

    public void Dispose() => _directory.Delete(recursive: true);

    // The deterministic keys of ../shared/interop/README.md, whose peer ids js-libp2p computes.
    [Theory]
    [InlineData("08021221034f355bdcb7cc0af728ef3cceb9615d90684bb5b2ca5f859ab0f0b704075871aa", "secp256k1", "16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3")]
    [InlineData("08011220a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0", "ed25519", "12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns")]
    public void InspectGivesThePeerIdsJsComputes(string publicKeyProtobuf, string type, string peerId)
    {
        var result = _binary.Run("keys", "inspect", "--protobuf-hex", publicKeyProtobuf);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(type, json.RootElement.GetProperty("type").GetString());
        Assert.Equal(peerId, json.RootElement.GetProperty("peerId").GetString());
        Assert.Equal(publicKeyProtobuf, json.RootElement.GetProperty("publicKey").GetString());
    }

    [Theory]
    [InlineData("secp256k1")]
    [InlineData("ed25519")]
    public void GeneratedKeyFileIsPrivateAndInspectable(string type)
    {
        var path = Path.Combine(_directory.FullName, $"{type}.key");
        var generated = _binary.Run("keys", "generate", "--type", type, "--out", path);
        Assert.Equal(0, generated.ExitCode);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));

        var inspected = _binary.Run("keys", "inspect", "--file", path);
        Assert.Equal(0, inspected.ExitCode);
        using var fromGenerate = JsonDocument.Parse(generated.StandardOutput);
        using var fromInspect = JsonDocument.Parse(inspected.StandardOutput);
        Assert.Equal(fromGenerate.RootElement.GetProperty("peerId").GetString(), fromInspect.RootElement.GetProperty("peerId").GetString());

        var again = _binary.Run("keys", "generate", "--type", type, "--out", path);
        Assert.Equal(1, again.ExitCode);
        Assert.StartsWith("error:", again.StandardError);
    }

    [Fact]
    public void AKeyFileOthersCanReadIsRefused()
    {
        var path = Path.Combine(_directory.FullName, "exposed.key");
        Assert.Equal(0, _binary.Run("keys", "generate", "--type", "secp256k1", "--out", path).ExitCode);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        var result = _binary.Run("keys", "inspect", "--file", path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(path, result.StandardError);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [Theory]
    [InlineData("zz")]                  // not hex
    [InlineData("0802")]                // truncated protobuf
    [InlineData("080012020102")]        // RSA: unsupported
    public void MalformedInputIsATypedErrorNotACrash(string hex)
    {
        var result = _binary.Run("keys", "inspect", "--protobuf-hex", hex);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error:", result.StandardError);
        Assert.DoesNotContain("Exception", result.StandardError);
    }
}
