using System.Buffers;
using System.Text;
using Sequencer.Core.Validators;

namespace Sequencer.Core.Tests.Validators;

/// <summary>The optional <c>"buddy": false</c> property: a voter-only validator, bound by the directory hash.</summary>
public sealed class VoterOnlyValidatorTests
{
    private static readonly string s_peer0 = TestNetwork.PeerIdOf(0).ToString();
    private static readonly string s_key0 = Convert.ToHexStringLower(TestNetwork.Key("validator", 0).PublicKey.Compressed);
    private static readonly string s_peer1 = TestNetwork.PeerIdOf(1).ToString();
    private static readonly string s_key1 = Convert.ToHexStringLower(TestNetwork.Key("validator", 1).PublicKey.Compressed);

    /// <summary>Two validators; <paramref name="buddy"/> is spliced into the second one's object (line 6).</summary>
    private static string Document(string buddy) => $$"""
        {
          "version": 1, "chainId": 7, "epoch": 0,
          "validators": [
            { "peerId": "{{s_peer0}}", "publicKey": "{{s_key0}}", "weight": 10, "region": "eu", "addresses": [] },
            { "peerId": "{{s_peer1}}", "publicKey": "{{s_key1}}", "weight": 20, "region": "us", "addresses": []
              {{buddy}}
            }
          ]
        }
        """;

    private static ValidatorDirectory Parse(string text) => DirectoryFile.Parse(Encoding.UTF8.GetBytes(text), "test.jsonc");

    [Fact]
    public void TheFlagIsOptionalAndDefaultsToBuddyEligible()
    {
        var absent = Parse(Document(""));
        var explicitTrue = Parse(Document(", \"buddy\": true"));
        Assert.All(absent.Validators, v => Assert.True(v.IsBuddyEligible));
        Assert.True(explicitTrue[1].IsBuddyEligible);
        Assert.Equal(absent.Hash, explicitTrue.Hash);
    }

    [Fact]
    public void FalseMakesAVoterOnlyValidatorWhoseWeightStillCounts()
    {
        var directory = Parse(Document(", \"buddy\": false"));
        Assert.True(directory[0].IsBuddyEligible);
        Assert.False(directory[1].IsBuddyEligible);
        Assert.Equal(30UL, directory.TotalWeight);
        Assert.NotEqual(Parse(Document("")).Hash, directory.Hash);
        Assert.Contains("voter only", directory[1].ToString());
    }

    [Theory]
    [InlineData(", \"buddy\": \"false\"", DirectoryError.WrongType)]
    [InlineData(", \"buddy\": 0", DirectoryError.WrongType)]
    [InlineData(", \"buddy\": null", DirectoryError.WrongType)]
    [InlineData(", \"buddy\": false, \"buddy\": false", DirectoryError.DuplicateField)]
    [InlineData(", \"Buddy\": false", DirectoryError.UnknownField)]
    public void AnythingButOneBooleanIsRefusedWhereItStands(string buddy, DirectoryError error)
    {
        var exception = Assert.Throws<DirectoryFormatException>(() => Parse(Document(buddy)));
        Assert.Equal(error, exception.Error);
        Assert.Equal(6, exception.Line);
        Assert.StartsWith("$.validators[1].", exception.JsonPath);
    }

    [Fact]
    public void TheWriterKeepsTheFlagAndOmitsTheDefault()
    {
        var specs = Enumerable.Range(0, 4).Select(i => TestNetwork.Spec(i, 5) with { IsBuddyEligible = i % 2 == 0 }).ToArray();
        var directory = ValidatorDirectory.Create(7, 0, specs);
        var written = Write(directory);
        var reread = DirectoryFile.Parse(Encoding.UTF8.GetBytes(written));
        Assert.Equal(directory.Hash, reread.Hash);
        Assert.Equal([true, false, true, false], reread.Validators.Select(v => v.IsBuddyEligible));
        Assert.Equal(2, written.Split("\"buddy\": false").Length - 1);
        Assert.DoesNotContain("\"buddy\": true", written);
    }

    [Fact]
    public void TheHashBindsWhichValidatorsAreVoterOnly()
    {
        var specs = Enumerable.Range(0, 5).Select(i => TestNetwork.Spec(i, 5)).ToArray();
        var hashes = new HashSet<string>();
        // Every subset of voter-only validators gives its own hash, the empty one the pre-flag hash.
        for (var mask = 0; mask < 1 << specs.Length; mask++)
        {
            var flagged = specs.Select((spec, i) => spec with { IsBuddyEligible = (mask & (1 << i)) == 0 }).ToArray();
            Assert.True(hashes.Add(ValidatorDirectory.Create(7, 0, flagged).Hash.ToString()));
        }
        Assert.Contains(ValidatorDirectory.Create(7, 0, specs).Hash.ToString(), hashes);
    }

    private static string Write(ValidatorDirectory directory)
    {
        var buffer = new ArrayBufferWriter<byte>();
        DirectoryFile.Write(directory, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
