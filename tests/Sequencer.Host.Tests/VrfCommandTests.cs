using System.Text.Json;

namespace Sequencer.Host.Tests;

/// <summary>
/// <c>sequencer vrf prove|verify</c> through the published binary, on witnet/vrf-rs's SECP256K1_SHA256_TAI vectors
/// (src/openssl/mod.rs tests; the full set is checked in Sequencer.Core.Tests/Data/ecvrf-secp256k1-sha256-tai.json).
/// </summary>
public sealed class VrfCommandTests
{
    private const string Secret = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
    private const string PublicKey = "032c8c31fc9f990c6b55e3865a184a4ce50e09481f2eaeb3e60ec1cea13a6ae645";
    private const string Sample = "73616d706c65";
    private const string ProvedPi = "031f4dbca087a1972d04a07a779b7df1caa99e0f5db2aa21f3aecc4f9e10e85d08748c9fbe6b95d17359707bfb8e8ab0c93ba0c515333adcb8b64f372c535e115ccf66ebf5abe6fadb01b5efb37c0a0ec9";
    private const string VerifiedPi = "031f4dbca087a1972d04a07a779b7df1caa99e0f5db2aa21f3aecc4f9e10e85d0814faa89697b482daa377fb6b4a8b0191a65d34a6d90a8a2461e5db9205d4cf0bb4b2c31b5ef6997a585a9f1a72517b6f";
    private const string Beta = "612065e309e937ef46c2ef04d5886b9c6efd2991ac484ec64a9b014366fc5d81";

    private readonly NativeBinary _binary = NativeBinary.Instance;

    [Fact]
    public void ProveGivesThePublishedProofAndBeta()
    {
        var result = _binary.Run("vrf", "prove", "--secret-hex", Secret, "--alpha-hex", Sample);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.Equal(ProvedPi, json.RootElement.GetProperty("pi").GetString());
        Assert.Equal(Beta, json.RootElement.GetProperty("beta").GetString());
    }

    [Fact]
    public void VerifyAcceptsThePublishedProof()
    {
        var result = _binary.Run("vrf", "verify", "--public-hex", PublicKey, "--alpha-hex", Sample, "--pi-hex", VerifiedPi);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.True(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(Beta, json.RootElement.GetProperty("beta").GetString());
    }

    [Fact]
    public void AWrongProofIsAnAnswerNotAnError()
    {
        // vrf-rs test_verify_secp256k1_sha256_tai_bad_message: the proof does not hold for "notsample".
        var result = _binary.Run("vrf", "verify", "--public-hex", PublicKey, "--alpha-hex", "6e6f7473616d706c65", "--pi-hex", VerifiedPi);
        Assert.Equal(0, result.ExitCode);
        using var json = JsonDocument.Parse(result.StandardOutput);
        Assert.False(json.RootElement.GetProperty("valid").GetBoolean());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("beta").ValueKind);
    }

    [Theory]
    [InlineData("prove", "--secret-hex", "zz", "--alpha-hex", "")]
    [InlineData("prove", "--secret-hex", "c9afa9", "--alpha-hex", "")]
    [InlineData("prove", "--secret-hex", "0000000000000000000000000000000000000000000000000000000000000000", "--alpha-hex", "")]
    [InlineData("prove", "--secret-hex", "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "--alpha-hex", "")]
    [InlineData("prove", "--secret-hex", Secret, "--alpha-hex", "abc")]
    [InlineData("verify", "--public-hex", "032c8c", "--alpha-hex", "", "--pi-hex", VerifiedPi)]
    [InlineData("verify", "--public-hex", PublicKey, "--alpha-hex", "", "--pi-hex", "031f4d")]
    [InlineData("verify", "--public-hex", PublicKey, "--alpha-hex", "", "--pi-hex", "not hex")]
    public void MalformedInputIsAnErrorOnStderr(params string[] arguments)
    {
        var result = _binary.Run(["vrf", .. arguments]);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.StartsWith("error: --", result.StandardError);
    }
}
