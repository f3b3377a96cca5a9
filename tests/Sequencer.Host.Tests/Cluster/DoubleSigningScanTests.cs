using Sequencer.Host.Cluster;

namespace Sequencer.Host.Tests.Cluster;

public sealed class DoubleSigningScanTests
{
    private static SignedEvent Signed(int signer, ulong height, string digest, string kind = "vote", string value = "accept") =>
        new(kind, signer, height, "aa", value, digest);

    [Fact]
    public void TheSameSignatureReportedByManyNodesIsNoDoubleSigning()
    {
        var scan = new DoubleSigningScan();
        for (var reporter = 0; reporter < 5; reporter++)
        {
            scan.Add(Signed(1, 10, "d1"));
            scan.Add(Signed(1, 11, "d2"));
            scan.Add(Signed(1, 10, "d3", kind: "attestation"));
        }
        Assert.Empty(scan.DoubleSigners());
        Assert.Equal(15, scan.Events);
        Assert.Equal(3, scan.Signatures);
    }

    [Fact]
    public void TwoDigestsOfOneKindAtOneHeightAreCaughtOncePerSigner()
    {
        var scan = new DoubleSigningScan();
        scan.Add(Signed(7, 3, "accept-digest"));
        scan.Add(Signed(2, 3, "x"));
        scan.Add(Signed(7, 3, "reject-digest", value: "reject"));
        scan.Add(Signed(7, 4, "again-1"));
        scan.Add(Signed(7, 4, "again-2"));
        scan.Add(Signed(2, 3, "x"));
        var evidence = Assert.Single(scan.DoubleSigners());
        Assert.Equal(new DoubleSigningScan.Evidence(7, "vote", 3, "accept-digest", "reject-digest"), evidence);
    }

    [Fact]
    public void ConcurrentReportersAgree()
    {
        var scan = new DoubleSigningScan();
        Parallel.For(0, 8, reporter =>
        {
            for (var signer = 0; signer < 50; signer++)
            {
                // Signer 13 equivocates at height 5; everyone else signs one digest per height.
                scan.Add(Signed(signer, 5, signer == 13 ? $"d{reporter % 2}" : $"s{signer}"));
            }
        });
        Assert.Equal([13], scan.DoubleSigners().Select(e => e.Signer));
        Assert.Equal(400, scan.Events);
    }
}
