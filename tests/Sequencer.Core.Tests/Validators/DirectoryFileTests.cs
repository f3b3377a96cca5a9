using System.Buffers;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Sequencer.Core.Validators;

namespace Sequencer.Core.Tests.Validators;

public sealed class DirectoryFileTests
{
    private static readonly string s_peer0 = TestNetwork.PeerIdOf(0).ToString();
    private static readonly string s_peer1 = TestNetwork.PeerIdOf(1).ToString();
    private static readonly string s_key0 = Convert.ToHexStringLower(TestNetwork.Key("validator", 0).PublicKey.Compressed);
    private static readonly string s_key1 = Convert.ToHexStringLower(TestNetwork.Key("validator", 1).PublicKey.Compressed);

    /// <summary>A two-validator file; the mutations below break it one rule at a time. Line numbers matter.</summary>
    private static string Document() => $$"""
        {
          "version": 1,
          "chainId": 7,
          "epoch": 0,
          "validators": [
            {
              "peerId": "{{s_peer0}}",
              "publicKey": "{{s_key0}}",
              "weight": 10,
              "region": "eu",
              "addresses": ["/ip4/10.0.0.1/tcp/4001"]
            },
            {
              "peerId": "{{s_peer1}}",
              "publicKey": "{{s_key1}}",
              "weight": 20,
              "region": "us",
              "addresses": []
            }
          ]
        }
        """;

    private static ValidatorDirectory Parse(string text) => DirectoryFile.Parse(Encoding.UTF8.GetBytes(text), "test.jsonc");

    [Fact]
    public void TheBaseDocumentIsValid()
    {
        var directory = Parse(Document());
        Assert.Equal(2, directory.Count);
        Assert.Equal(30UL, directory.TotalWeight);
        Assert.Equal(["/ip4/10.0.0.1/tcp/4001"], directory[0].Addresses.ToArray());
    }

    public static TheoryData<string, string, string, DirectoryError, string, int> Mutations() => new()
    {
        // name, replace, with, error, JSON path, line
        { "unknown field", "\"region\": \"us\",", "\"region\": \"us\", \"colour\": \"red\",", DirectoryError.UnknownField, "$.validators[1].colour", 17 },
        { "unknown root field", "\"epoch\": 0,", "\"epoch\": 0, \"extra\": 1,", DirectoryError.UnknownField, "$.extra", 4 },
        { "duplicate field", "\"weight\": 20,", "\"weight\": 20, \"weight\": 21,", DirectoryError.DuplicateField, "$.validators[1].weight", 16 },
        { "duplicate root field", "\"chainId\": 7,", "\"chainId\": 7, \"chainId\": 8,", DirectoryError.DuplicateField, "$.chainId", 3 },
        { "missing field", "\"region\": \"us\",", "", DirectoryError.MissingField, "$.validators[1]", 13 },
        { "missing root field", "\"epoch\": 0,", "", DirectoryError.MissingField, "$", 1 },
        { "string for a number", "\"weight\": 20", "\"weight\": \"20\"", DirectoryError.WrongType, "$.validators[1].weight", 16 },
        { "number for a string", "\"region\": \"us\"", "\"region\": 5", DirectoryError.WrongType, "$.validators[1].region", 17 },
        { "object for an array", "\"addresses\": []", "\"addresses\": {}", DirectoryError.WrongType, "$.validators[1].addresses", 18 },
        { "number in addresses", "\"addresses\": []", "\"addresses\": [1]", DirectoryError.WrongType, "$.validators[1].addresses[0]", 18 },
        { "validator not an object", "\"validators\": [", "\"validators\": [ 1,", DirectoryError.WrongType, "$.validators[0]", 5 },
        { "fraction", "\"weight\": 20", "\"weight\": 20.5", DirectoryError.InvalidNumber, "$.validators[1].weight", 16 },
        { "exponent", "\"weight\": 20", "\"weight\": 2e1", DirectoryError.InvalidNumber, "$.validators[1].weight", 16 },
        { "negative", "\"chainId\": 7", "\"chainId\": -7", DirectoryError.InvalidNumber, "$.chainId", 3 },
        { "beyond u64", "\"epoch\": 0", "\"epoch\": 18446744073709551616", DirectoryError.InvalidNumber, "$.epoch", 4 },
        { "zero weight", "\"weight\": 20", "\"weight\": 0", DirectoryError.ZeroWeight, "$.validators[1].weight", 16 },
        { "total weight", "\"weight\": 20", "\"weight\": 9223372036854775800", DirectoryError.TotalWeightTooLarge, "$.validators[1].weight", 16 },
        { "unsupported version", "\"version\": 1", "\"version\": 2", DirectoryError.UnsupportedVersion, "$.version", 2 },
        { "bad hex", s_key1, "zz" + s_key1[2..], DirectoryError.InvalidHex, "$.validators[1].publicKey", 15 },
        { "odd hex", s_key1, s_key1[1..], DirectoryError.InvalidHex, "$.validators[1].publicKey", 15 },
        { "0x prefix", s_key1, "0x" + s_key1, DirectoryError.InvalidHex, "$.validators[1].publicKey", 15 },
        { "truncated key", s_key1, s_key1[..^2], DirectoryError.InvalidPublicKey, "$.validators[1].publicKey", 15 },
        { "x-only key", s_key1, s_key1[2..], DirectoryError.InvalidPublicKey, "$.validators[1].publicKey", 15 },
        { "not a point", s_key1, "02" + new string('f', 64), DirectoryError.InvalidPublicKey, "$.validators[1].publicKey", 15 },
        { "bad prefix", s_key1, "05" + s_key1[2..], DirectoryError.InvalidPublicKey, "$.validators[1].publicKey", 15 },
        { "bad peer id", s_peer1, "QmNotAPeerId", DirectoryError.InvalidPeerId, "$.validators[1].peerId", 14 },
        { "truncated peer id", s_peer1, s_peer1[..^2], DirectoryError.InvalidPeerId, "$.validators[1].peerId", 14 },
        { "duplicate peer id", s_peer1, s_peer0, DirectoryError.DuplicatePeerId, "$.validators[1].peerId", 14 },
        { "duplicate key", s_key1, s_key0, DirectoryError.DuplicatePublicKey, "$.validators[1].publicKey", 15 },
        { "empty region", "\"region\": \"us\"", "\"region\": \"\"", DirectoryError.InvalidRegion, "$.validators[1].region", 17 },
        { "bad address", "\"addresses\": []", "\"addresses\": [\"tcp:4001\"]", DirectoryError.InvalidAddress, "$.validators[1].addresses[0]", 18 },
        { "duplicate address", "\"/ip4/10.0.0.1/tcp/4001\"]", "\"/ip4/10.0.0.1/tcp/4001\", \"/ip4/10.0.0.1/tcp/4001\"]", DirectoryError.DuplicateAddress, "$.validators[0].addresses[1]", 11 },
        { "too many addresses", "\"addresses\": []", "\"addresses\": [" + string.Join(", ", Enumerable.Range(0, 17).Select(p => $"\"/ip4/1.1.1.1/tcp/{p}\"")) + "]", DirectoryError.InvalidAddress, "$.validators[1].addresses[16]", 18 },
        { "trailing comma", "\"addresses\": []", "\"addresses\": [],", DirectoryError.Syntax, "$.validators[1]", 19 },
        { "missing comma", "\"weight\": 20,", "\"weight\": 20", DirectoryError.Syntax, "$.validators[1]", 17 },
        { "unterminated string", "\"region\": \"us\",", "\"region\": \"us,", DirectoryError.Syntax, "$.validators[1].region", 17 },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void EveryBrokenRuleIsATypedErrorWithItsLocation(string name, string replace, string with, DirectoryError error, string path, int line)
    {
        var document = Document();
        Assert.Contains(replace, document);
        var broken = ReplaceFirst(document, replace, with);
        var exception = Assert.Throws<DirectoryFormatException>(() => Parse(broken));
        Assert.True(error == exception.Error, $"{name}: expected {error}, got {exception.Error}: {exception.Message}");
        Assert.Equal(path, exception.JsonPath);
        Assert.Equal(line, exception.Line);
        Assert.Equal("test.jsonc", exception.SourceName);
        Assert.StartsWith($"test.jsonc:{line}:{exception.Column}: {path}: ", exception.Message);
    }

    [Fact]
    public void TheColumnPointsAtTheOffendingProperty()
    {
        var exception = Assert.Throws<DirectoryFormatException>(() => Parse(ReplaceFirst(Document(), "\"weight\": 20", "\"weight\": 0")));
        Assert.Equal("      \"weight\": 0,".IndexOf('"', StringComparison.Ordinal) + 1, exception.Column);
    }

    public static TheoryData<string, DirectoryError, int> WholeDocuments() => new()
    {
        { "", DirectoryError.Syntax, 1 },
        { "// only a comment\n", DirectoryError.Syntax, 2 },
        { "[]", DirectoryError.WrongType, 1 },
        { "{\"version\": 1, \"chainId\": 7, \"epoch\": 0, \"validators\": []}", DirectoryError.NoValidators, 1 },
        { "{\"version\": 1, \"chainId\": 7, \"epoch\": 0,\n \"validators\": {}}", DirectoryError.WrongType, 2 },
        { "{} {}", DirectoryError.Syntax, 1 },
        { "{\n/* unterminated", DirectoryError.Syntax, 2 },
        { "{\"version\": 1,\n\"chainId\": 7 /* inline */, \"epoch\": 0, \"validators\": [", DirectoryError.Syntax, 2 },
    };

    [Theory]
    [MemberData(nameof(WholeDocuments))]
    public void MalformedDocumentsAreTypedErrors(string document, DirectoryError error, int line)
    {
        var exception = Assert.Throws<DirectoryFormatException>(() => Parse(document));
        Assert.Equal(error, exception.Error);
        Assert.Equal(line, exception.Line);
    }

    [Fact]
    public void InvalidUtf8InAStringIsASyntaxError()
    {
        var bytes = Encoding.UTF8.GetBytes(ReplaceFirst(Document(), "\"region\": \"us\"", "\"region\": \"u?\""));
        bytes[Array.IndexOf(bytes, (byte)'?')] = 0xFF;
        var exception = Assert.Throws<DirectoryFormatException>(() => DirectoryFile.Parse(bytes, "test.jsonc"));
        Assert.Equal(DirectoryError.Syntax, exception.Error);
        Assert.Equal(17, exception.Line);
    }

    [Fact]
    public void CommentsAByteOrderMarkAndCidPeerIdsAreAccepted()
    {
        var commented = "\uFEFF// header\n" + ReplaceFirst(Document(), "\"weight\": 10,", "/* block */ \"weight\": 10, // trailing")
            .Replace(s_peer1, TestNetwork.PeerIdOf(1).ToCidString(), StringComparison.Ordinal);
        Assert.Equal(Parse(Document()).Hash, Parse(commented).Hash);
        var exception = Assert.Throws<DirectoryFormatException>(() => Parse(ReplaceFirst(commented, "\"weight\": 20", "\"weight\": 0")));
        Assert.Equal(17, exception.Line);
    }

    [Fact]
    public void TheReferenceFileRoundTripsThroughTheWriter()
    {
        var reference = ValidatorDirectoryTests.Reference();
        var written = Write(reference);
        var reread = DirectoryFile.Parse(Encoding.UTF8.GetBytes(written));
        Assert.Equal(reference.Hash, reread.Hash);
        Assert.Contains("/* index 4 */", written);
    }

    [Fact]
    public void WrittenDirectoriesParseBackToTheSameDirectory()
    {
        var generator =
            from count in Gen.Choose(1, 40)
            from weights in Gen.ArrayOf(Gen.Choose(1, 1_000_000), count)
            from regions in Gen.ArrayOf(Gen.Elements("eu-west", "us-east", "zürich ü", "ap\\south \"1\"", "x"), count)
            from addressCounts in Gen.ArrayOf(Gen.Choose(0, 3), count)
            from chainId in ArbMap.Default.GeneratorFor<ulong>()
            from epoch in ArbMap.Default.GeneratorFor<ulong>()
            select (count, weights, regions, addressCounts, chainId, epoch);
        Prop.ForAll(generator.ToArbitrary(), x =>
        {
            var specs = Enumerable.Range(0, x.count).Select(i => TestNetwork.Spec(i, (ulong)x.weights[i]) with
            {
                Region = x.regions[i],
                Addresses = Enumerable.Range(0, x.addressCounts[i]).Select(a => $"/dns4/v{i}.example/tcp/{4000 + a}").ToArray(),
            }).ToArray();
            var directory = ValidatorDirectory.Create(x.chainId, x.epoch, specs);
            var reread = DirectoryFile.Parse(Encoding.UTF8.GetBytes(Write(directory)));
            return reread.Hash == directory.Hash && reread.ChainId == x.chainId && reread.Epoch == x.epoch
                && reread.Validators.Zip(directory.Validators).All(pair =>
                    pair.First.PeerId == pair.Second.PeerId && pair.First.PublicKey.Equals(pair.Second.PublicKey)
                    && pair.First.Weight == pair.Second.Weight && pair.First.Region == pair.Second.Region
                    && pair.First.Addresses.SequenceEqual(pair.Second.Addresses));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void ReadRefusesAnOversizedFileBeforeReadingIt()
    {
        var path = Path.Combine(Path.GetTempPath(), $"directory-{Guid.NewGuid():N}.jsonc");
        try
        {
            using (var file = File.Create(path))
                file.SetLength(DirectoryFile.MaxFileSize + 1L);
            var exception = Assert.Throws<DirectoryFormatException>(() => DirectoryFile.Read(path));
            Assert.Equal(DirectoryError.FileTooLarge, exception.Error);
            Assert.Equal(path, exception.SourceName);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TheFileSourceReloadsAndKeepsItsDirectoryWhenTheFileBreaks()
    {
        var path = Path.Combine(Path.GetTempPath(), $"directory-{Guid.NewGuid():N}.jsonc");
        try
        {
            var first = TestNetwork.Create(3).Directory;
            DirectoryFile.Save(first, path);
            var source = new FileValidatorDirectorySource(path);
            Assert.Equal(first.Hash, source.Current.Hash);
            Assert.False(source.Reload());

            var second = TestNetwork.Create(4).Directory;
            DirectoryFile.Save(second, path);
            Assert.True(source.Reload());
            Assert.Equal(second.Hash, source.Current.Hash);

            File.WriteAllText(path, "{ broken");
            Assert.Throws<DirectoryFormatException>(() => source.Reload());
            Assert.Equal(second.Hash, source.Current.Hash);
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string Write(ValidatorDirectory directory)
    {
        var buffer = new ArrayBufferWriter<byte>();
        DirectoryFile.Write(directory, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string ReplaceFirst(string text, string replace, string with)
    {
        var at = text.IndexOf(replace, StringComparison.Ordinal);
        return text[..at] + with + text[(at + replace.Length)..];
    }
}
