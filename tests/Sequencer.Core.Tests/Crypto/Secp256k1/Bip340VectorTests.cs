using Sequencer.Core.Crypto;
using Sequencer.Core.Crypto.Secp256k1;

namespace Sequencer.Core.Tests.Crypto.Secp256k1;

/// <summary>
/// The BIP340 test vectors. Data/bip340-test-vectors.csv is bip-0340/test-vectors.csv from github.com/bitcoin/bips,
/// verbatim, as of commit 200f9b26fe0a2f235a2af8b30c4be9f12f6bc9cb ("bip340: Allow variable-length messages",
/// git blob 672339129a844a060591bb22f444158ff45438ed): rows 0–14 with 32-byte messages, rows 15–18 with messages of
/// 0, 1, 17 and 100 bytes.
/// </summary>
public sealed class Bip340VectorTests : Secp256k1TestBase
{
    private static readonly string s_path = Path.Combine(AppContext.BaseDirectory, "Data", "bip340-test-vectors.csv");

    public static TheoryData<int, string, string, string, string, string, bool, string> Vectors()
    {
        var data = new TheoryData<int, string, string, string, string, string, bool, string>();
        foreach (var line in File.ReadLines(s_path).Skip(1))
        {
            var cells = line.Split(',');
            Assert.Equal(8, cells.Length);
            data.Add(int.Parse(cells[0]), cells[1], cells[2], cells[3], cells[4], cells[5], bool.Parse(cells[6]), cells[7]);
        }
        return data;
    }

    [Fact]
    public void TheFileHoldsEveryPublishedRow()
    {
        var indexes = File.ReadLines(s_path).Skip(1).Select(line => int.Parse(line.Split(',')[0]));
        Assert.Equal(Enumerable.Range(0, 19), indexes);
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void VectorHolds(int index, string secretKey, string publicKey, string auxRand, string message, string signature, bool valid, string comment)
    {
        var because = $"row {index} {comment}";
        var msg = Convert.FromHexString(message);
        var sig = Convert.FromHexString(signature);

        if (secretKey.Length > 0)
        {
            using var key = Secp256k1PrivateKey.FromBytes(Convert.FromHexString(secretKey));
            Assert.Equal(publicKey, Convert.ToHexString(key.PublicKey.XOnly));
            var produced = new byte[Secp256k1PrivateKey.SchnorrSignatureSize];
            key.SignSchnorr(msg, Convert.FromHexString(auxRand), produced);
            Assert.Equal(signature, Convert.ToHexString(produced));
        }

        if (!SchnorrPublicKey.TryParse(Convert.FromHexString(publicKey), out var schnorrKey))
        {
            // Rows 5 and 14: the key is not the x coordinate of a curve point, so no verifier can even be built.
            Assert.False(valid, because);
            return;
        }
        Assert.True(valid == schnorrKey.Verify(msg, sig), because);

        var worker = Secp256k1Context.CreateWorker();
        try
        {
            Assert.True(valid == schnorrKey.Verify(worker, msg, sig), because);
        }
        finally
        {
            Secp256k1Context.Destroy(worker);
        }

        // A BIP340 key is an x coordinate: the full point of either parity verifies the same way.
        foreach (var prefix in new byte[] { 0x02, 0x03 })
        {
            var full = Secp256k1PublicKey.Parse([prefix, .. Convert.FromHexString(publicKey)]);
            Assert.True(valid == full.VerifySchnorr(msg, sig), because);
        }
    }
}
