using Sequencer.Core.Committee;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;
using Sequencer.Simulation.Byzantine;
using Sequencer.Simulation.Checking;
using Sequencer.Simulation.Network;
using Sequencer.Simulation.Nodes;
using Sequencer.Simulation.Scenarios;

namespace Sequencer.Simulation.Tests.Checking;

/// <summary>
/// Real keys, a real directory and real committees, to hand the checker signed evidence — valid or broken on purpose —
/// as if it had crossed the wire: every key is known here, so certificates and votes that no honest run would produce
/// can be made.
/// </summary>
internal sealed class CheckerFixture : IDisposable
{
    private readonly Random _random = new(99);
    private long _event;

    public CheckerFixture(int validators = 9, int mainPeers = 6)
    {
        Validators = ValidatorSet.Generate(new Random(7), Enumerable.Repeat(1UL, validators).ToArray(), SimulationRun.ChainId);
        Size = new CommitteeSize(mainPeers, 0);
        Verifier = new IndependentVerifier(Validators.Directory, Size);
    }

    public ValidatorSet Validators { get; }

    public CommitteeSize Size { get; }

    public IndependentVerifier Verifier { get; }

    public WireLedger Ledger { get; } = new();

    public Hash32 DirectoryHash => Validators.Directory.Hash;

    public static Hash32 Block(byte tag)
    {
        var hash = default(Hash32);
        hash[0] = tag;
        hash[31] = 0x5A;
        return hash;
    }

    public static RoundId Round(ulong height, byte block) => new(SimulationRun.ChainId, height, Block(block));

    public EffectiveCommittee Committee(in RoundId round, int sequencer = 0) =>
        CommitteeSeats.Draw(Validators.Directory, Size, sequencer, Validators.KeyOf(sequencer), round.ChainId, round.Height, default)
            .WithoutDeclines(round, 1_000_000);

    /// <summary>A certificate signed by the first <paramref name="signers"/> members of the committee.</summary>
    public Certificate SignCertificate(EffectiveCommittee committee, Decision value, int signers)
    {
        var certificate = new Certificate
        {
            Round = committee.Round,
            DirectoryHash = DirectoryHash,
            Value = value,
            Committee = committee.ToProof(),
        };
        foreach (var member in committee.Members.Take(signers))
        {
            var digest = default(Hash32);
            Attestation.ComputeSigningDigest(committee.Round, DirectoryHash, committee.Digest, (uint)member.ValidatorIndex, value, digest);
            var signature = default(SchnorrSignature);
            Sign(member.ValidatorIndex, digest, signature);
            certificate.AddSigner(member.Position, signature);
        }
        return certificate;
    }

    public Vote SignVote(int voter, in RoundId round, Decision decision)
    {
        var vote = new Vote { Round = round, DirectoryHash = DirectoryHash, VoterIndex = (uint)voter, Decision = decision };
        var digest = default(Hash32);
        vote.ComputeSigningDigest(digest);
        Sign(voter, digest, vote.Signature);
        return vote;
    }

    public Attestation SignAttestation(int attester, EffectiveCommittee committee, Decision value)
    {
        var attestation = new Attestation
        {
            Round = committee.Round,
            DirectoryHash = DirectoryHash,
            CommitteeDigest = committee.Digest,
            AttesterIndex = (uint)attester,
            Value = value,
        };
        var digest = default(Hash32);
        attestation.ComputeSigningDigest(digest);
        Sign(attester, digest, attestation.Signature);
        return attestation;
    }

    /// <summary>Shows the ledger a send from <paramref name="host"/> (as the next event) and returns that event.</summary>
    public long Send(int host, byte[] payload, string? topic = null)
    {
        var envelope = new WireEnvelope(topic is null ? WireEnvelopeKind.Request : WireEnvelopeKind.Publish, TimeSpan.FromMilliseconds(_event),
            ++_event, host, 0, host, -1, SequencerProtocol.Vote, topic, payload);
        Ledger.OnSend(envelope);
        return _event;
    }

    /// <summary>Shows the ledger <paramref name="payload"/> from <paramref name="from"/> being handed to <paramref name="to"/>.</summary>
    public void Deliver(int from, int to, byte[] payload)
    {
        var envelope = new WireEnvelope(WireEnvelopeKind.Request, TimeSpan.FromMilliseconds(_event), ++_event, from, 0, from, to,
            SequencerProtocol.Vote, null, payload);
        Ledger.OnSend(envelope);
        Ledger.OnDeliver(envelope, to, 0, _event);
    }

    /// <summary>Host <paramref name="host"/> accepts its invitation to <paramref name="round"/> (from then on it holds the round's votes).</summary>
    public void Join(int host, in RoundId round)
    {
        var reply = new InvitationReply { Round = round, DirectoryHash = DirectoryHash, BuddyIndex = (uint)host, Answer = InvitationAnswer.Accept };
        Send(host, ByzantineContext.Encode(reply.Encode));
    }

    public IReadOnlyList<InvariantViolation> Check(Func<int, bool> isHonest, params CertificateSource[] certificates) =>
        new SafetyChecker(Verifier, isHonest, isHonest).Check(Ledger, certificates);

    public void Dispose() => Validators.Dispose();

    private void Sign(int validator, ReadOnlySpan<byte> digest, Span<byte> signature)
    {
        Span<byte> auxiliary = stackalloc byte[32];
        _random.NextBytes(auxiliary);
        Validators.KeyOf(validator).SignSchnorr(digest, auxiliary, signature);
    }
}
