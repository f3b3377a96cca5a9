using System.Runtime.Versioning;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Safety;

// File modes are POSIX; the node runs on Linux only.
[UnsupportedOSPlatform("windows")]
public sealed class FileDecisionLogTests
{
    private const int FileHeaderLength = 16;
    private const int FrameOverhead = 25;

    [Fact]
    public void AppendedRecordsReadBackInOrderAfterAReopen()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("decisions.log");
        using (var log = FileDecisionLog.Open(path))
        {
            Assert.Equal(new DecisionLogRecovery(0, FileHeaderLength, 0, DecisionLogTail.Clean), log.Recovery);
            log.Append(1, 10, Decision.Accept, [1, 2, 3]);
            log.Append(1, 11, Decision.Reject, []);
            log.Append(2, 10, Decision.Accept, new byte[5000]);
            Assert.Equal(3, log.ReadAll().Count());
        }

        using var reopened = FileDecisionLog.Open(path);

        Assert.Equal(new DecisionLogRecovery(3, FileHeaderLength + 3 * FrameOverhead + 5003, 0, DecisionLogTail.Clean), reopened.Recovery);
        var records = reopened.ReadAll().ToArray();
        Assert.Equal([(1UL, 10UL, Decision.Accept, 3), (1UL, 11UL, Decision.Reject, 0), (2UL, 10UL, Decision.Accept, 5000)],
            records.Select(r => (r.ChainId, r.Height, r.Outcome, r.Certificate.Length)));
        Assert.Equal([1, 2, 3], records[0].Certificate.ToArray());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public void ATornLastRecordIsCutBackToThePreviousOneAtEveryByteOffset()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("decisions.log");
        var (intact, full) = LogWithTwoRecordsAndALastOne(path, lastCertificateLength: 40);
        for (var kept = 0; kept < full.Length - intact; kept++)
        {
            File.WriteAllBytes(path, full[..(intact + kept)]);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            using (var log = FileDecisionLog.Open(path))
            {
                Assert.Equal(2, log.Recovery.Records);
                Assert.Equal(intact, log.Recovery.ValidLength);
                Assert.Equal(kept, log.Recovery.BytesCut);
                var expectedTail = kept == 0 ? DecisionLogTail.Clean
                    : full.AsSpan(intact, kept).ContainsAnyExcept((byte)0) is false ? DecisionLogTail.Zeros // the length's high bytes
                    : kept < FrameOverhead ? DecisionLogTail.PartialHeader
                    : DecisionLogTail.PartialRecord;
                Assert.Equal(expectedTail, log.Recovery.Tail);
                Assert.Equal(intact, new FileInfo(path).Length);
                Assert.Equal([10UL, 11UL], log.ReadAll().Select(r => r.Height));
                // The log goes on from the cut.
                log.Append(1, 12, Decision.Reject, [9]);
            }
            using var again = FileDecisionLog.Open(path);
            Assert.Equal(DecisionLogTail.Clean, again.Recovery.Tail);
            Assert.Equal([10UL, 11UL, 12UL], again.ReadAll().Select(r => r.Height));
        }
    }

    [Fact]
    public void ACompleteLastRecordFailingItsChecksumAndAZeroTailAreCutToo()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("decisions.log");
        var (intact, full) = LogWithTwoRecordsAndALastOne(path, lastCertificateLength: 40);

        var damaged = (byte[])full.Clone();
        damaged[intact + 30] ^= 0x40;
        Rewrite(path, damaged);
        using (var log = FileDecisionLog.Open(path))
            Assert.Equal(new DecisionLogRecovery(2, intact, full.Length - intact, DecisionLogTail.ChecksumMismatch), log.Recovery);

        Rewrite(path, [.. full, .. new byte[700]]);
        using (var log = FileDecisionLog.Open(path))
            Assert.Equal(new DecisionLogRecovery(3, full.Length, 700, DecisionLogTail.Zeros), log.Recovery);
    }

    [Fact]
    public void DamageFollowedByMoreRecordsIsCorruptionAndRefused()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("decisions.log");
        var (_, full) = LogWithTwoRecordsAndALastOne(path, lastCertificateLength: 40);
        var damaged = (byte[])full.Clone();
        damaged[FileHeaderLength + 22] ^= 0x01; // inside the first record's certificate

        Rewrite(path, damaged);

        var refusal = Assert.Throws<SafetyStateException>(() => FileDecisionLog.Open(path));
        Assert.Equal(SafetyStateDefect.CorruptRecord, refusal.Defect);
        Assert.Equal(FileHeaderLength, refusal.Offset);
        Assert.Equal(full.Length, new FileInfo(path).Length); // nothing was cut
    }

    [Theory]
    [InlineData(0, SafetyStateDefect.BadMagic)]
    [InlineData(8, SafetyStateDefect.UnsupportedVersion)]
    [InlineData(12, SafetyStateDefect.InvalidContent)]
    public void ADamagedFileHeaderIsRefused(int offset, SafetyStateDefect defect)
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("decisions.log");
        var (_, full) = LogWithTwoRecordsAndALastOne(path, lastCertificateLength: 1);
        full[offset] ^= 0x10;
        Rewrite(path, full);

        Assert.Equal(defect, Assert.Throws<SafetyStateException>(() => FileDecisionLog.Open(path)).Defect);
    }

    [Property(MaxTest = 300)]
    public Property RandomFilesAreRefusedOrCutNeverCrash()
    {
        var header = "JMZKDLOG\u0001\0\0\0\0\0\0\0"u8.ToArray();
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));
        var files = Gen.OneOf(bytes, bytes.Select(tail => header.Concat(tail).ToArray()));
        return Prop.ForAll(files.ToArbitrary(), file =>
        {
            using var directory = new TempDirectory();
            var path = directory.Combine("decisions.log");
            Rewrite(path, file);
            try
            {
                using var log = FileDecisionLog.Open(path);
                Assert.Equal(log.Recovery.ValidLength, new FileInfo(path).Length);
                Assert.Equal(file.Length, log.Recovery.ValidLength + log.Recovery.BytesCut);
                Assert.Equal(log.Recovery.Records, log.ReadAll().Count());
            }
            catch (SafetyStateException)
            {
                Assert.Equal(file.Length, new FileInfo(path).Length); // a refusal changes nothing
            }
        });
    }

    [Fact]
    public void OneWriterAtATimeAndPrivateFilesOnly()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("decisions.log");
        using (var log = FileDecisionLog.Open(path))
            Assert.Equal(SafetyStateDefect.InUse, Assert.Throws<SafetyStateException>(() => FileDecisionLog.Open(path)).Defect);

        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        Assert.Equal(SafetyStateDefect.InsecurePermissions, Assert.Throws<SafetyStateException>(() => FileDecisionLog.Open(path)).Defect);
    }

    [Fact]
    public void BadAppendsAreCallerBugs()
    {
        using var directory = new TempDirectory();
        using var log = FileDecisionLog.Open(directory.Combine("decisions.log"));
        Assert.Throws<ArgumentException>(() => log.Append(1, 1, default, []));
        Assert.Throws<ArgumentException>(() => log.Append(1, 1, Decision.Accept, new byte[FileDecisionLog.MaxCertificateLength + 1]));
        Assert.Equal(0, log.RecordCount);
    }

    [Theory]
    [InlineData(SafetyCrashPoint.BeforeDurable, 1)]
    [InlineData(SafetyCrashPoint.AfterDurable, 2)]
    public void TheSimulationLogKeepsARecordExactlyWhenTheAppendCompleted(SafetyCrashPoint point, int expected)
    {
        var log = new InMemoryDecisionLog();
        log.Append(1, 1, Decision.Accept, [1]);
        log.ArmCrash(point);

        Assert.Throws<SimulatedCrashException>(() => log.Append(1, 2, Decision.Reject, [2]));

        Assert.Equal(expected, log.ReadAll().Count());
    }

    /// <summary>Writes two records and a third; returns where the third starts and the whole file's bytes.</summary>
    private static (int Intact, byte[] Full) LogWithTwoRecordsAndALastOne(string path, int lastCertificateLength)
    {
        using (var log = FileDecisionLog.Open(path))
        {
            log.Append(1, 10, Decision.Accept, [1, 2, 3, 4]);
            log.Append(1, 11, Decision.Reject, [5, 6]);
        }
        var intact = (int)new FileInfo(path).Length;
        using (var log = FileDecisionLog.Open(path))
            log.Append(1, 12, Decision.Accept, Enumerable.Range(0, lastCertificateLength).Select(i => (byte)(i + 1)).ToArray());
        return (intact, File.ReadAllBytes(path));
    }

    private static void Rewrite(string path, byte[] bytes)
    {
        File.WriteAllBytes(path, bytes);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
