using System.Buffers.Binary;
using System.Runtime.Versioning;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Safety;

// File modes are POSIX; the node runs on Linux only.
[UnsupportedOSPlatform("windows")]
public sealed class FileSafetyStoreTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void AFirstStartCreatesAPrivateDirectoryAndPrivateFiles()
    {
        using var parent = new TempDirectory();
        var directory = parent.Combine("node/safety");

        using var store = FileSafetyStore.Open(directory);

        Assert.Equal(Private | UnixFileMode.UserExecute, File.GetUnixFileMode(directory));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(directory, FileSafetyStore.StateFileName)));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Combine(directory, FileSafetyStore.LockFileName)));
        Assert.Equal(SafetyFileFormat.EmptyLength, new FileInfo(store.StatePath).Length);
    }

    [Fact]
    public void RecordsAndWindowsSurviveAReopen()
    {
        using var directory = new TempDirectory();
        var expected = new Dictionary<(SafetyRecordKind, ulong, ulong), SafetyLookup>();
        using (var store = FileSafetyStore.Open(directory.Path, retainedHeights: 3))
        {
            var rules = new SafetyRules(store, new CountingSigner(1));
            for (ulong height = 1; height <= 6; height++)
            {
                Assert.True(rules.SignVote(1, height, SigningHelpers.Hash((byte)height), SigningHelpers.Hash(9), Decision.Accept).Result.IsSigned);
                Assert.True(rules.SignVote(2, height * 10, SigningHelpers.Hash((byte)height), SigningHelpers.Hash(9), Decision.Reject).Result.IsSigned);
                if (height % 2 == 0)
                    Assert.True(rules.SignAttestation(1, height, SigningHelpers.Hash(3), SigningHelpers.Hash(9), SigningHelpers.Hash(4),
                        Decision.Accept).Result.IsSigned);
            }
            foreach (var kind in new[] { SafetyRecordKind.Vote, SafetyRecordKind.Attestation })
                foreach (var chain in new ulong[] { 1, 2, 3 })
                    for (ulong height = 0; height <= 70; height++)
                        expected[(kind, chain, height)] = store.Find(kind, chain, height);
            Assert.Equal(Private, File.GetUnixFileMode(store.StatePath)); // every rewrite renames a fresh 0600 file in
        }
        Assert.Equal(SafetyLookupStatus.BelowTrackedHeights, expected[(SafetyRecordKind.Vote, 1, 3)].Status);
        Assert.Equal(SafetyLookupStatus.Found, expected[(SafetyRecordKind.Vote, 1, 4)].Status);

        using var reopened = FileSafetyStore.Open(directory.Path, retainedHeights: 3);

        foreach (var ((kind, chain, height), lookup) in expected)
        {
            var actual = reopened.Find(kind, chain, height);
            Assert.Equal(lookup.Status, actual.Status);
            Assert.Equal(lookup.LowestTrackedHeight, actual.LowestTrackedHeight);
            Assert.True(SameRecord(lookup.Record, actual.Record), $"{kind} chain {chain} height {height}");
        }
    }

    [Fact]
    public void EverySingleByteCorruptionIsATypedRefusal()
    {
        using var directory = new TempDirectory();
        var bytes = StateWithRecords(directory);
        var random = new Random(20261124);
        for (var offset = 0; offset < bytes.Length; offset++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[offset] ^= (byte)random.Next(1, 256);
            File.WriteAllBytes(directory.Combine(FileSafetyStore.StateFileName), damaged);
            var refusal = Assert.Throws<SafetyStateException>(() => FileSafetyStore.Open(directory.Path));
            Assert.True(refusal.Defect is SafetyStateDefect.BadMagic or SafetyStateDefect.ChecksumMismatch, $"byte {offset}: {refusal.Message}");
        }
    }

    [Fact]
    public void EveryTruncationIsATypedRefusal()
    {
        using var directory = new TempDirectory();
        var bytes = StateWithRecords(directory);
        for (var length = 0; length < bytes.Length; length++)
        {
            File.WriteAllBytes(directory.Combine(FileSafetyStore.StateFileName), bytes[..length]);
            var refusal = Assert.Throws<SafetyStateException>(() => FileSafetyStore.Open(directory.Path));
            Assert.True(refusal.Defect is SafetyStateDefect.LengthMismatch or SafetyStateDefect.BadMagic
                or SafetyStateDefect.ChecksumMismatch, $"length {length}: {refusal.Message}");
        }
    }

    [Theory]
    [InlineData(8, 2, SafetyStateDefect.UnsupportedVersion)]              // format version
    [InlineData(10, 1, SafetyStateDefect.InvalidContent)]                 // reserved byte
    [InlineData(12 + 8 + 16 + 48, 3, SafetyStateDefect.InvalidContent)]   // first vote's value: neither accept nor reject
    [InlineData(12 + 2, 1, SafetyStateDefect.LengthMismatch)]             // vote chain count (257)
    [InlineData(12 + 8 + 16 + 15, 0, SafetyStateDefect.InvalidContent)]   // first vote's height below its chain's floor
    public void AWellChecksummedFileThatBreaksARuleIsRefused(int offset, byte value, SafetyStateDefect defect)
    {
        using var directory = new TempDirectory();
        var bytes = StateWithRecords(directory);
        bytes[offset] = value;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(bytes.Length - 4), Crc32C.Compute(bytes.AsSpan(0, bytes.Length - 4)));
        File.WriteAllBytes(directory.Combine(FileSafetyStore.StateFileName), bytes);

        Assert.Equal(defect, Assert.Throws<SafetyStateException>(() => FileSafetyStore.Open(directory.Path)).Defect);
    }

    [Property(MaxTest = 200)]
    public Property RandomFilesAreRefusedWithATypedErrorAndNeverCrash()
    {
        var garbage = Gen.OneOf(
            Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)),
            Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).Select(tail => "JMZKSAFE\u0001\0\0\0"u8.ToArray().Concat(tail).ToArray()));
        return Prop.ForAll(garbage.ToArbitrary(), bytes =>
        {
            using var directory = new TempDirectory();
            File.WriteAllBytes(directory.Combine(FileSafetyStore.StateFileName), bytes);
            File.SetUnixFileMode(directory.Combine(FileSafetyStore.StateFileName), Private);
            Assert.Throws<SafetyStateException>(() => FileSafetyStore.Open(directory.Path));
        });
    }

    [Fact]
    public void AFileOthersCanAccessIsRefused()
    {
        using var directory = new TempDirectory();
        FileSafetyStore.Open(directory.Path).Dispose();
        File.SetUnixFileMode(directory.Combine(FileSafetyStore.StateFileName), Private | UnixFileMode.GroupRead);

        Assert.Equal(SafetyStateDefect.InsecurePermissions,
            Assert.Throws<SafetyStateException>(() => FileSafetyStore.Open(directory.Path)).Defect);
    }

    [Fact]
    public void OneStorePerDirectoryAtATime()
    {
        using var directory = new TempDirectory();
        var first = FileSafetyStore.Open(directory.Path);

        Assert.Equal(SafetyStateDefect.InUse, Assert.Throws<SafetyStateException>(() => FileSafetyStore.Open(directory.Path)).Defect);
        first.Dispose();
        FileSafetyStore.Open(directory.Path).Dispose();
    }

    [Fact]
    public void AFailedSaveRefusesEverythingUntilTheStoreIsReopened()
    {
        using var directory = new TempDirectory();
        var block = SigningHelpers.Hash(1);
        var epoch = SigningHelpers.Hash(2);
        using (var store = FileSafetyStore.Open(directory.Path))
        {
            var rules = new SafetyRules(store, new CountingSigner(0));
            // A directory where the temp file must go: deleting or creating it fails, as a full or broken disk would.
            Directory.CreateDirectory(directory.Combine(FileSafetyStore.StateFileName + ".tmp"));

            var (failed, failedVote) = rules.SignVote(1, 5, block, epoch, Decision.Accept);
            Directory.Delete(directory.Combine(FileSafetyStore.StateFileName + ".tmp"));
            var (later, laterVote) = rules.SignVote(1, 6, block, epoch, Decision.Accept);

            Assert.IsType<SafetyViolation.StoreUnavailable>(failed.Violation);
            Assert.Equal((SafetyRecordKind.Vote, 1UL, 5UL), Numbers(failed.Violation));
            Assert.IsType<SafetyViolation.StoreUnavailable>(later.Violation);
            Assert.Equal(default, failedVote.Signature);
            Assert.Equal(default, laterVote.Signature);
        }
        using var reopened = FileSafetyStore.Open(directory.Path);
        Assert.Equal(SafetyLookupStatus.Absent, reopened.Find(SafetyRecordKind.Vote, 1, 5).Status);
        Assert.Equal(SigningStatus.Signed, new SafetyRules(reopened, new CountingSigner(0)).SignVote(1, 5, block, epoch, Decision.Accept).Result.Status);
    }

    private static (SafetyRecordKind, ulong, ulong) Numbers(SafetyViolation? violation) =>
        violation is SafetyViolation.StoreUnavailable unavailable
            ? (unavailable.Kind, unavailable.ChainId, unavailable.Height)
            : throw new InvalidOperationException($"not a store failure: {violation}");

    /// <summary>
    /// A state with a pruned vote chain (chain 1, window 2, heights 3–4, floor 3) and one attestation, returned as
    /// its bytes; the store is closed again.
    /// </summary>
    private static byte[] StateWithRecords(TempDirectory directory)
    {
        using (var store = FileSafetyStore.Open(directory.Path, retainedHeights: 2))
        {
            var rules = new SafetyRules(store, new CountingSigner(1));
            for (ulong height = 2; height <= 4; height++)
                Assert.True(rules.SignVote(1, height, SigningHelpers.Hash(7), SigningHelpers.Hash(8), Decision.Accept).Result.IsSigned);
            Assert.True(rules.SignAttestation(1, 4, SigningHelpers.Hash(7), SigningHelpers.Hash(8), SigningHelpers.Hash(9),
                Decision.Reject).Result.IsSigned);
        }
        return File.ReadAllBytes(directory.Combine(FileSafetyStore.StateFileName));
    }

    private static bool SameRecord(SafetyRecord left, SafetyRecord right) =>
        left.ChainId == right.ChainId && left.Height == right.Height && left.BlockHash == right.BlockHash
        && left.Value == right.Value && left.Digest == right.Digest && left.Signature == right.Signature;
}
