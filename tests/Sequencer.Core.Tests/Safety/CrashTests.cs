using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Primitives;
using Sequencer.Core.Safety;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Safety;

/// <summary>Crashes on either side of the durable point, over the file store and the simulation's store.</summary>
public sealed class CrashTests
{
    private static readonly Hash32 Block = SigningHelpers.Hash(0xA1);
    private static readonly Hash32 OtherBlock = SigningHelpers.Hash(0xB2);
    private static readonly Hash32 Directory = SigningHelpers.Hash(0x01);

    [Fact]
    public void CrashAfterTheDurableWriteButBeforeSendingNeverLetsARestartedNodeSignADifferentVote()
    {
        using var directory = new TempDirectory();
        var firstSigner = new CountingSigner(9);
        var vote = new Vote { Round = new RoundId(3, 700, Block), DirectoryHash = Directory, Decision = Decision.Accept };
        using (var store = FileSafetyStore.Open(directory.Path))
        {
            var rules = new SafetyRules(new CrashingStore(store, SafetyCrashPoint.AfterDurable), firstSigner);
            Assert.Throws<SimulatedCrashException>(() => rules.SignVote(ref vote));
        }
        Assert.Equal(1, firstSigner.Calls);
        Assert.Equal(default, vote.Signature); // the signature never reached the message

        using var reopened = FileSafetyStore.Open(directory.Path);
        var restartedSigner = new CountingSigner(9);
        var restarted = new SafetyRules(reopened, restartedSigner);
        var (conflicting, _) = restarted.SignVote(3, 700, OtherBlock, Directory, Decision.Accept);
        var (identical, resent) = restarted.SignVote(3, 700, Block, Directory, Decision.Accept);

        Assert.Equal(new SafetyViolation.AlreadyVoted(3, 700, Block, Decision.Accept, OtherBlock, Decision.Accept), conflicting.Violation);
        Assert.Equal(SigningStatus.Resent, identical.Status);
        Assert.Equal(reopened.Find(SafetyRecordKind.Vote, 3, 700).Record.Signature, resent.Signature);
        Assert.Equal(0, restartedSigner.Calls);
    }

    [Fact]
    public void CrashBeforeTheWriteCompletesLeavesNoRecordAndNoSignature()
    {
        using var directory = new TempDirectory();
        var vote = new Vote { Round = new RoundId(3, 700, Block), DirectoryHash = Directory, Decision = Decision.Accept };
        using (var store = FileSafetyStore.Open(directory.Path))
        {
            var rules = new SafetyRules(new CrashingStore(store, SafetyCrashPoint.BeforeDurable), new CountingSigner(9));
            Assert.Throws<SimulatedCrashException>(() => rules.SignVote(ref vote));
        }
        Assert.Equal(default, vote.Signature);

        using var reopened = FileSafetyStore.Open(directory.Path);
        Assert.Equal(SafetyLookupStatus.Absent, reopened.Find(SafetyRecordKind.Vote, 3, 700).Status);
        // Nothing left the node, so the restarted node is free to vote at that height — once.
        var restarted = new SafetyRules(reopened, new CountingSigner(9));
        Assert.Equal(SigningStatus.Signed, restarted.SignVote(3, 700, OtherBlock, Directory, Decision.Accept).Result.Status);
        Assert.False(restarted.SignVote(3, 700, Block, Directory, Decision.Accept).Result.IsSigned);
    }

    [Fact]
    public void ATempFileLeftByACrashMidWriteIsDiscardedAndTheLastStateStands()
    {
        using var directory = new TempDirectory();
        using (var store = FileSafetyStore.Open(directory.Path))
            Assert.True(new SafetyRules(store, new CountingSigner(1)).SignVote(3, 700, Block, Directory, Decision.Accept).Result.IsSigned);
        var temp = directory.Combine(FileSafetyStore.StateFileName + ".tmp");
        File.WriteAllBytes(temp, [1, 2, 3]);

        using var reopened = FileSafetyStore.Open(directory.Path);

        Assert.False(File.Exists(temp));
        Assert.Equal(SafetyLookupStatus.Found, reopened.Find(SafetyRecordKind.Vote, 3, 700).Status);
    }

    [Theory]
    [InlineData(SafetyCrashPoint.BeforeDurable)]
    [InlineData(SafetyCrashPoint.AfterDurable)]
    public void TheSimulationStoreKeepsARecordExactlyWhenTheWriteCompleted(SafetyCrashPoint point)
    {
        var store = new InMemorySafetyStore();
        store.ArmCrash(point);
        Assert.Throws<SimulatedCrashException>(() =>
            new SafetyRules(store, new CountingSigner(2)).SignVote(3, 700, Block, Directory, Decision.Accept));

        var restarted = new SafetyRules(store, new CountingSigner(2));
        var expected = point == SafetyCrashPoint.AfterDurable ? SafetyLookupStatus.Found : SafetyLookupStatus.Absent;
        Assert.Equal(expected, store.Find(SafetyRecordKind.Vote, 3, 700).Status);
        Assert.Equal(point == SafetyCrashPoint.AfterDurable ? SigningStatus.Resent : SigningStatus.Signed,
            restarted.SignVote(3, 700, Block, Directory, Decision.Accept).Result.Status);
    }

    /// <summary>
    /// Random requests with crashes and restarts at random points, over the file store: whatever the crash points,
    /// no two different statements are ever signed at one key, and every signature that reached a caller is the one
    /// a restarted node resends.
    /// </summary>
    [Property(MaxTest = 40)]
    public Property NoCrashScheduleLetsTwoDifferentStatementsBeSignedAtOneHeight()
    {
        var step = Gen.Frequency(
            (6, SigningRequest.Generator(heights: 5).Select(r => (Request: r, Crash: (SafetyCrashPoint?)null))),
            (1, SigningRequest.Generator(heights: 5).Select(r => (Request: r, Crash: (SafetyCrashPoint?)SafetyCrashPoint.BeforeDurable))),
            (1, SigningRequest.Generator(heights: 5).Select(r => (Request: r, Crash: (SafetyCrashPoint?)SafetyCrashPoint.AfterDurable))));
        return Prop.ForAll(Gen.ListOf(step).ToArbitrary(), steps =>
        {
            using var directory = new TempDirectory();
            var store = FileSafetyStore.Open(directory.Path);
            var signedByKey = new Dictionary<(ulong, ulong, SafetyRecordKind), (SigningRequest Request, byte[]? Signature)>();
            try
            {
                foreach (var (request, crash) in steps)
                {
                    var rules = new SafetyRules(crash is { } point ? new CrashingStore(store, point) : store, new CountingSigner(5));
                    try
                    {
                        var (result, signature) = request.SendTo(rules);
                        if (!result.IsSigned)
                            continue;
                        if (signedByKey.TryGetValue(request.Key, out var first))
                        {
                            Assert.Equal(first.Request, request);
                            if (first.Signature is not null)
                                Assert.Equal(first.Signature, signature);
                        }
                        signedByKey[request.Key] = (request, signature);
                    }
                    catch (SimulatedCrashException e)
                    {
                        // The node died: nothing reached a caller. A durable record still binds the key from now on.
                        if (e.Point == SafetyCrashPoint.AfterDurable && !signedByKey.ContainsKey(request.Key))
                            signedByKey[request.Key] = (request, null);
                        store.Dispose();
                        store = FileSafetyStore.Open(directory.Path);
                    }
                }
            }
            finally
            {
                store.Dispose();
            }
        });
    }

    /// <summary>Forwards to a real store and dies on one side of its durable write.</summary>
    private sealed class CrashingStore(ISafetyStore inner, SafetyCrashPoint point) : ISafetyStore
    {
        public SafetyLookup Find(SafetyRecordKind kind, ulong chainId, ulong height) => inner.Find(kind, chainId, height);

        public void Save(SafetyRecordKind kind, in SafetyRecord record)
        {
            if (point == SafetyCrashPoint.BeforeDurable)
                throw new SimulatedCrashException(point);
            inner.Save(kind, record);
            throw new SimulatedCrashException(point);
        }
    }
}
