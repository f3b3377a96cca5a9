using System.Text.Json;

namespace Sequencer.Host.Tests;

public sealed class BinaryTests
{
    private readonly NativeBinary _binary = NativeBinary.Instance;

    [Fact]
    public void VersionPrintsOneJsonObject()
    {
        var result = _binary.Run("version");
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Matches(@"^\d+\.\d+\.\d+", json.RootElement.GetProperty("version").GetString());
        Assert.Equal("1.0.18", json.RootElement.GetProperty("libsodium").GetString());
    }

    [Fact]
    public void CryptographicLibrariesAreLinkedStatically()
    {
        // DESIGN §5 / issue 2: the binary must run on a machine without libsecp256k1 or libsodium installed.
        var ldd = ProcessResult.Run("ldd", [_binary.Path]);
        Assert.Equal(0, ldd.ExitCode);
        Assert.DoesNotContain("secp256k1", ldd.StandardOutput);
        Assert.DoesNotContain("sodium", ldd.StandardOutput);
        Assert.Contains("libc.so", ldd.StandardOutput);
    }

    [Fact]
    public void UnknownCommandFailsWithAMessageOnStderr()
    {
        var result = _binary.Run("no-such-command");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput.Trim());
        Assert.NotEqual(string.Empty, result.StandardError.Trim());
    }
}
