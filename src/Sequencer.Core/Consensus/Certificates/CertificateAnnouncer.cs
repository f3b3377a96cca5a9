using Sequencer.Core.Primitives;

namespace Sequencer.Core.Consensus.Certificates;

/// <summary>
/// Announces the certificates this node builds on the network-wide topic — once per round across the network in the
/// common case, instead of once per builder. Loop-only.
/// </summary>
/// <remarks>
/// <para>Every collector of a round's attestations (the sequencer and each committee member) builds the certificate
/// at about the same moment, when the quorum's last attestation arrives. Were each to announce it, a 13-member
/// committee would put 14 copies of the same decision on a topic every validator forwards to its mesh: on 24 nodes
/// that is thousands of deliveries per round, nearly all duplicates, and the CPU they cost delays the next round.</para>
/// <para>So the sequencer, which completes its outcome with the certificate anyway, announces at once; a member
/// waits <see cref="StaggerUnit"/> × (1 + its draw position) and announces only if no certificate of that round
/// reached it meanwhile. With a live sequencer one copy goes out; with the sequencer dead the first member announces
/// after one unit, and the others hear it and stay quiet. Safety does not depend on any of this (a certificate is
/// verified wherever it arrives); only how fast non-members learn the decision does, by at most a few units.</para>
/// </remarks>
internal sealed class CertificateAnnouncer(NodeRuntime runtime)
{
    /// <summary>The delay between members' turns: longer than a certificate's trip across a healthy network.</summary>
    public static readonly TimeSpan StaggerUnit = TimeSpan.FromMilliseconds(50);

    private readonly Dictionary<RoundId, LoopTimer> _pending = [];

    /// <summary>This node built <paramref name="certificate"/>: announce it now (<paramref name="position"/> &lt; 0, the sequencer) or in its member's turn.</summary>
    public void OnBuilt(in RoundId round, byte[] certificate, int position)
    {
        if (position < 0)
        {
            Publish(certificate);
            return;
        }
        if (_pending.ContainsKey(round))
            return;
        var id = round;
        _pending.Add(id, LoopTimer.Once(runtime.Time, runtime.Loop, StaggerUnit * (1 + position), () =>
        {
            if (_pending.Remove(id, out var timer))
            {
                timer.Dispose();
                Publish(certificate);
            }
        }));
    }

    /// <summary>A certificate of <paramref name="round"/> arrived from the network: someone announced it, this node need not.</summary>
    public void OnHeard(in RoundId round)
    {
        if (_pending.Remove(round, out var timer))
            timer.Dispose();
    }

    /// <summary>The node stops: nothing more is announced.</summary>
    public void Cancel()
    {
        foreach (var timer in _pending.Values)
            timer.Dispose();
        _pending.Clear();
    }

    private void Publish(byte[] certificate) => runtime.Network.Publish(runtime.Options.PubSub_AnnounceChannel, certificate);
}
