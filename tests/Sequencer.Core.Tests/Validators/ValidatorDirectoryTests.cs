using Sequencer.Core.Identity;
using Sequencer.Core.Primitives;
using Sequencer.Core.Validators;

namespace Sequencer.Core.Tests.Validators;

public sealed class ValidatorDirectoryTests
{
    /// <summary>Data/validator-directory.jsonc, read as a node reads it.</summary>
    internal static ValidatorDirectory Reference() =>
        DirectoryFile.Read(Path.Combine(AppContext.BaseDirectory, "Data", "validator-directory.jsonc"));

    [Fact]
    public void TheReferenceFileHasTheHashAnIndependentImplementationComputes()
    {
        // Printed by Data/validator-directory.py (hashlib and integer arithmetic only, sharing no code with this
        // project) when it wrote the file: the byte layout documented on ValidatorDirectory.
        var directory = Reference();
        Assert.Equal("4e8a54d6fd9429020d34af4a408a526a876981212af81453f6c0cdffc211f997", directory.Hash.ToString());
        Assert.Equal(7UL, directory.ChainId);
        Assert.Equal(3UL, directory.Epoch);
        Assert.Equal(5, directory.Count);
        Assert.Equal(100UL + 250 + 40 + 1 + 9000, directory.TotalWeight);
    }

    [Fact]
    public void TheReferenceFileMatchesTheTestKeys()
    {
        var directory = Reference();
        for (var i = 0; i < directory.Count; i++)
        {
            var validator = directory[i];
            Assert.Equal(i, validator.Index);
            Assert.Equal(TestNetwork.Key("validator", i).PublicKey, validator.PublicKey);
            Assert.Equal(TestNetwork.PeerIdOf(i), validator.PeerId);
            Assert.True(validator.SchnorrKey.XOnly.SequenceEqual(validator.PublicKey.XOnly));
        }
        Assert.Equal(["/ip4/10.0.0.1/tcp/4001", "/ip6/fd00::1/tcp/4001"], directory[0].Addresses.ToArray());
        Assert.Empty(directory[3].Addresses);
        Assert.Equal("sa-east", directory[4].Region);
    }

    [Fact]
    public void LookupsFindEveryValidatorAndNothingElse()
    {
        var network = TestNetwork.Create(20);
        var directory = network.Directory;
        foreach (var validator in directory.Validators)
        {
            Assert.True(directory.TryGet((uint)validator.Index, out var byIndex));
            Assert.Same(validator, byIndex);
            Assert.True(directory.TryGetByPeerId(validator.PeerId, out var byPeer));
            Assert.Same(validator, byPeer);
            Assert.True(directory.TryGetByPublicKey(validator.PublicKey, out var byKey));
            Assert.Same(validator, byKey);
        }
        Assert.False(directory.TryGet(20, out _));
        Assert.False(directory.TryGet(uint.MaxValue, out _));
        Assert.False(directory.TryGetByPeerId(TestNetwork.PeerIdOf(20), out _));
        Assert.False(directory.TryGetByPublicKey(TestNetwork.Key("validator", 20).PublicKey, out _));
        Assert.False(directory.TryGetByPeerId(default, out _));
    }

    public static TheoryData<string> FieldChanges() =>
        ["chainId", "epoch", "order", "count", "peerId", "publicKey", "weight", "region", "address", "addressOrder", "addressCount", "buddy"];

    [Theory]
    [MemberData(nameof(FieldChanges))]
    public void TheHashChangesWhenAnyFieldChanges(string field)
    {
        var specs = Enumerable.Range(0, 4).Select(i => TestNetwork.Spec(i, (ulong)i + 1)).ToList();
        specs[1] = specs[1] with { Addresses = ["/ip4/10.0.0.1/tcp/1", "/ip4/10.0.0.1/tcp/2"] };
        var original = ValidatorDirectory.Create(7, 0, specs);
        var (chainId, epoch) = (7UL, 0UL);
        var changed = specs.ToList();
        switch (field)
        {
            case "chainId": chainId = 8; break;
            case "epoch": epoch = 1; break;
            case "order": (changed[0], changed[1]) = (changed[1], changed[0]); break;
            case "count": changed.RemoveAt(3); break;
            case "peerId": changed[2] = changed[2] with { PeerId = TestNetwork.PeerIdOf(99) }; break;
            case "publicKey": changed[2] = changed[2] with { PublicKey = TestNetwork.Key("validator", 99).PublicKey }; break;
            case "weight": changed[2] = changed[2] with { Weight = changed[2].Weight + 1 }; break;
            case "region": changed[2] = changed[2] with { Region = changed[2].Region + "x" }; break;
            case "address": changed[1] = changed[1] with { Addresses = ["/ip4/10.0.0.1/tcp/1", "/ip4/10.0.0.1/tcp/3"] }; break;
            case "addressOrder": changed[1] = changed[1] with { Addresses = ["/ip4/10.0.0.1/tcp/2", "/ip4/10.0.0.1/tcp/1"] }; break;
            case "addressCount": changed[1] = changed[1] with { Addresses = ["/ip4/10.0.0.1/tcp/1"] }; break;
            case "buddy": changed[2] = changed[2] with { IsBuddyEligible = false }; break;
            default: throw new ArgumentOutOfRangeException(nameof(field));
        }
        var other = ValidatorDirectory.Create(chainId, epoch, changed);
        Assert.NotEqual(original.Hash, other.Hash);
        Assert.Equal(original.Hash, ValidatorDirectory.Create(7, 0, specs).Hash);
    }

    public static TheoryData<string, DirectoryError> BrokenSpecs() => new()
    {
        { "empty", DirectoryError.NoValidators },
        { "zeroWeight", DirectoryError.ZeroWeight },
        { "emptyPeerId", DirectoryError.InvalidPeerId },
        { "duplicatePeerId", DirectoryError.DuplicatePeerId },
        { "duplicateKey", DirectoryError.DuplicatePublicKey },
        { "overweight", DirectoryError.TotalWeightTooLarge },
        { "emptyRegion", DirectoryError.InvalidRegion },
        { "longRegion", DirectoryError.InvalidRegion },
        { "controlInRegion", DirectoryError.InvalidRegion },
        { "addressWithoutSlash", DirectoryError.InvalidAddress },
        { "addressWithSpace", DirectoryError.InvalidAddress },
        { "addressEmptyComponent", DirectoryError.InvalidAddress },
        { "addressTrailingSlash", DirectoryError.InvalidAddress },
        { "tooManyAddresses", DirectoryError.InvalidAddress },
        { "duplicateAddress", DirectoryError.DuplicateAddress },
    };

    [Theory]
    [MemberData(nameof(BrokenSpecs))]
    public void EntriesThatBreakARuleAreRefused(string breakage, DirectoryError expected)
    {
        var specs = Enumerable.Range(0, 3).Select(i => TestNetwork.Spec(i, 10)).ToList();
        switch (breakage)
        {
            case "empty": specs.Clear(); break;
            case "zeroWeight": specs[1] = specs[1] with { Weight = 0 }; break;
            case "emptyPeerId": specs[1] = specs[1] with { PeerId = default }; break;
            case "duplicatePeerId": specs[2] = specs[2] with { PeerId = specs[0].PeerId }; break;
            case "duplicateKey": specs[2] = specs[2] with { PublicKey = specs[0].PublicKey }; break;
            case "overweight": specs[1] = specs[1] with { Weight = (1UL << 63) - 15 }; break;
            case "emptyRegion": specs[1] = specs[1] with { Region = "" }; break;
            case "longRegion": specs[1] = specs[1] with { Region = new string('é', 33) }; break;
            case "controlInRegion": specs[1] = specs[1] with { Region = "eu\nwest" }; break;
            case "addressWithoutSlash": specs[1] = specs[1] with { Addresses = ["ip4/1.2.3.4/tcp/1"] }; break;
            case "addressWithSpace": specs[1] = specs[1] with { Addresses = ["/ip4/1.2.3.4 /tcp/1"] }; break;
            case "addressEmptyComponent": specs[1] = specs[1] with { Addresses = ["/ip4//tcp/1"] }; break;
            case "addressTrailingSlash": specs[1] = specs[1] with { Addresses = ["/ip4/1.2.3.4/"] }; break;
            case "tooManyAddresses": specs[1] = specs[1] with { Addresses = Enumerable.Range(0, 17).Select(p => $"/ip4/1.2.3.4/tcp/{p}").ToArray() }; break;
            case "duplicateAddress": specs[1] = specs[1] with { Addresses = ["/ip4/1.2.3.4/tcp/1", "/ip4/1.2.3.4/tcp/1"] }; break;
            default: throw new ArgumentOutOfRangeException(nameof(breakage));
        }
        Assert.False(ValidatorDirectory.TryCreate(7, 0, specs, out var directory, out var violation));
        Assert.Null(directory);
        Assert.Equal(expected, violation.Error);
        var error = Assert.Throws<ArgumentException>(() => ValidatorDirectory.Create(7, 0, specs));
        Assert.Contains(expected.ToString(), error.Message);
    }

    [Fact]
    public void TheLargestTotalWeightIsAccepted()
    {
        var directory = ValidatorDirectory.Create(7, 0, [TestNetwork.Spec(0, 1UL << 62), TestNetwork.Spec(1, 1UL << 62)]);
        Assert.Equal(ValidatorDirectory.MaxTotalWeight, directory.TotalWeight);
    }

    [Fact]
    public void EveryTextFormOfAPeerIdGivesTheSameDirectory()
    {
        var peerId = TestNetwork.PeerIdOf(0);
        Assert.True(PeerId.TryParse(peerId.ToCidString(), out var fromCid));
        var directory = ValidatorDirectory.Create(7, 0, [TestNetwork.Spec(0, 1) with { PeerId = fromCid }]);
        Assert.Equal(ValidatorDirectory.Create(7, 0, [TestNetwork.Spec(0, 1)]).Hash, directory.Hash);
    }

    [Fact]
    public void FixedSourceServesItsDirectory()
    {
        var directory = TestNetwork.Create(3).Directory;
        Assert.Same(directory, new FixedValidatorDirectorySource(directory).Current);
        Assert.NotEqual(default(Hash32), directory.Hash);
    }
}
