using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Checking;

/// <summary>
/// Judges a finished run for safety (DESIGN §3 "Why it is safe", ENGINE §6) from everything signed that went over the
/// wire (<see cref="WireLedger"/>) and every certificate honest nodes logged or reported:
/// <list type="number">
/// <item><b>agreement</b> — never two valid Accept certificates for different blocks at one (chain, height);</item>
/// <item><b>valid-certificates</b> — every certificate an honest node logged, reported or sent carries more than 2/3
/// of its committee's signatures, each valid, under a committee proof that verifies;</item>
/// <item><b>accept-backed-by-votes</b> — every valid Accept certificate's block has more than 2/3 of W in valid
/// accept votes for it seen on the wire, each voter counted once;</item>
/// <item><b>one-value-per-round</b> — no round has valid certificates of both values, unless more than f of its
/// committee were Byzantine;</item>
/// <item><b>honest-votes-once</b> — no honest validator signed two different votes at one (chain, height) (rule S1,
/// across crashes and restarts);</item>
/// <item><b>honest-attests-once</b> — no honest validator signed two different attestations at one (chain, height)
/// (rule S2);</item>
/// <item><b>attestation-justified</b> — an honest buddy attests Accept only if the valid votes for that round it had
/// received by then (and its own), counting no voter of which it held two different votes, carry more than 2/3 of W;
/// Reject only if they carry at least W/3 against (DESIGN §3 steps 7–8).</item>
/// </list>
/// Why equivocators are excluded in 7 and not in 3: an honest buddy cannot tell an equivocator's single vote from an
/// honest one, so a correct engine may count an equivocation it has not seen (with Twins or a double proposal, honest
/// votes split between two blocks and one undetected equivocator tips the count). Excluding every equivocator seen
/// anywhere on the wire would flag such correct runs; excluding those the buddy itself had evidence of is exactly the
/// rule, and needs what each buddy received, which the network's delivery tap records.
/// </summary>
public sealed class SafetyChecker(IndependentVerifier verifier, Func<int, bool> isHonestValidator, Func<int, bool> isHonestHost)
{
    /// <summary>What the last <see cref="Check"/> found on the wire.</summary>
    public WireEvidence? Evidence { get; private set; }

    public IReadOnlyList<InvariantViolation> Check(WireLedger ledger, IEnumerable<CertificateSource> certificates)
    {
        var violations = new List<InvariantViolation>();
        var validVotes = ValidVotesByHeight(ledger);
        CheckVotesOnce(validVotes, violations);
        CheckAttestationsOnce(ledger, violations);

        var all = ledger.Certificates
            .Select(c => new CertificateSource(c.Message, $"wire from host {c.FromHost} at {c.Time.TotalMilliseconds:0.###} ms", false))
            .Concat(certificates);
        var valid = new Dictionary<Certificate, string>();
        foreach (var (certificate, source, fromHonest) in all)
        {
            var audit = verifier.Audit(certificate);
            if (audit.IsValid)
                valid.TryAdd(certificate, source);
            else if (fromHonest)
                violations.Add(new("valid-certificates", $"{Describe(certificate)} from {source}: {audit.Problem}"));
        }

        CheckAgreement(valid, violations);
        CheckOneValuePerRound(valid, violations);
        CheckAcceptBackedByVotes(valid, validVotes, violations);
        CheckAttestationsJustified(ledger, violations);
        Evidence = Gather(ledger, validVotes, valid.Count);
        return violations;
    }

    private WireEvidence Gather(
        WireLedger ledger,
        Dictionary<(ulong Chain, ulong Height), Dictionary<uint, List<(Hash32 Block, Decision Decision)>>> validVotes,
        int validCertificates)
    {
        var validCount = ledger.Votes.Count(v => verifier.IsValid(v.Message));
        var attesters = ledger.Attestations
            .Where(a => verifier.IsValid(a.Message))
            .GroupBy(a => (a.Message.AttesterIndex, a.Message.Round.ChainId, a.Message.Round.Height))
            .Count(g => g.Select(a => (a.Message.Round.BlockHash, a.Message.Value)).Distinct().Count() > 1);
        return new WireEvidence(
            validCount,
            ledger.Votes.Count - validCount,
            validVotes.Values.Sum(voters => voters.Values.Count(signed => signed.Count > 1)),
            validCertificates,
            ledger.Certificates.Count(c => !verifier.Audit(c.Message).IsValid),
            attesters,
            ledger.Proposals.GroupBy(p => (p.Message.Round.ChainId, p.Message.Round.Height)).Select(g => g.Count()).DefaultIfEmpty().Max(),
            ledger.Undecodable);
    }

    /// <summary>
    /// Replays, in delivery order, the valid votes each honest attester had received (and its own), keeping the tally
    /// the rule prescribes — an equivocator's weight leaves both sides once its two votes are held — and asks whether
    /// the attested threshold held at some point up to the attestation. "At some point" because the engine attests on
    /// the quorum it reached; a conflicting vote that lands in between does not make that quorum unjustified.
    /// </summary>
    private void CheckAttestationsJustified(WireLedger ledger, List<InvariantViolation> violations)
    {
        var total = verifier.Directory.TotalWeight;
        foreach (var observed in ledger.Attestations)
        {
            var attestation = observed.Message;
            if (!isHonestHost(observed.FromHost) || attestation.AttesterIndex != (uint)observed.FromHost || !verifier.IsValid(attestation))
                continue;
            var known = ledger.VotesReceived(observed.FromHost, observed.FromIncarnation, attestation.Round, observed.Event)
                .Where(v => verifier.IsValid(v.Vote))
                .Select(v => (v.Event, v.Vote.Voter, v.Vote.Decision))
                .ToList();
            foreach (var decision in new[] { Decision.Accept, Decision.Reject })
            {
                var digest = default(Hash32);
                Vote.ComputeSigningDigest(attestation.Round, attestation.DirectoryHash, attestation.AttesterIndex, decision, digest);
                if (ledger.SignedAt(observed.FromHost, observed.FromIncarnation, observed.Event, digest) is { } signedAt)
                    known.Add((signedAt, attestation.AttesterIndex, decision));
            }
            // A stable order: within one event (one delta), entries count in the order they arrived, as the engine folds them.
            var ordered = known.OrderBy(k => k.Event).ToList();

            var held = new Dictionary<uint, (bool Accept, bool Reject)>();
            ulong accept = 0, reject = 0;
            var justified = false;
            foreach (var (_, voter, decision) in ordered)
            {
                var before = held.GetValueOrDefault(voter);
                var after = decision == Decision.Accept ? (true, before.Reject) : (before.Accept, true);
                if (after == before)
                    continue;
                held[voter] = after;
                var weight = verifier.Directory[(int)voter].Weight;
                if (after is (true, true))
                {
                    // The second, conflicting vote: the voter now counts for neither side.
                    if (before.Accept)
                        accept -= weight;
                    else
                        reject -= weight;
                }
                else if (after.Item1)
                    accept += weight;
                else
                    reject += weight;
                justified |= attestation.Value == Decision.Accept
                    ? IndependentVerifier.IsAcceptWeight(accept, total)
                    : reject > 0 && reject * 3 >= total;
            }
            if (!justified)
                violations.Add(new("attestation-justified",
                    $"honest validator {attestation.AttesterIndex} attested {attestation.Value} for chain {attestation.Round.ChainId} "
                    + $"height {attestation.Round.Height} block {Short(attestation.Round.BlockHash)} at {observed.Time.TotalMilliseconds:0.###} ms, "
                    + $"though the votes it held never reached that threshold (finally accept {accept}, reject {reject} of {total}, "
                    + $"{held.Count(h => h.Value is (true, true))} equivocators)"));
        }
    }

    /// <summary>
    /// Honest certificates on the wire must be valid too: the ledger does not know who is honest, so the run passes
    /// the wire certificates of honest hosts in <see cref="Check"/>'s second argument.
    /// </summary>
    public static IEnumerable<CertificateSource> HonestWireCertificates(WireLedger ledger, Func<int, bool> isHonestHost) =>
        ledger.Certificates
            .Where(c => isHonestHost(c.FromHost))
            .Select(c => new CertificateSource(c.Message, $"wire from honest host {c.FromHost} at {c.Time.TotalMilliseconds:0.###} ms", true));

    /// <summary>(chain, height) → voter → the distinct (block, decision) pairs it validly signed.</summary>
    private Dictionary<(ulong Chain, ulong Height), Dictionary<uint, List<(Hash32 Block, Decision Decision)>>> ValidVotesByHeight(WireLedger ledger)
    {
        var byHeight = new Dictionary<(ulong, ulong), Dictionary<uint, List<(Hash32, Decision)>>>();
        foreach (var observed in ledger.Votes)
        {
            var vote = observed.Message;
            if (!verifier.IsValid(vote))
                continue;
            var key = (vote.Round.ChainId, vote.Round.Height);
            if (!byHeight.TryGetValue(key, out var voters))
                byHeight[key] = voters = [];
            if (!voters.TryGetValue(vote.Voter, out var signed))
                voters[vote.Voter] = signed = [];
            var statement = (vote.Round.BlockHash, vote.Decision);
            if (!signed.Contains(statement))
                signed.Add(statement);
        }
        return byHeight;
    }

    private void CheckVotesOnce(
        Dictionary<(ulong Chain, ulong Height), Dictionary<uint, List<(Hash32 Block, Decision Decision)>>> votes,
        List<InvariantViolation> violations)
    {
        foreach (var ((chain, height), voters) in votes)
        {
            foreach (var (voter, signed) in voters)
            {
                if (signed.Count > 1 && isHonestValidator((int)voter))
                    violations.Add(new("honest-votes-once",
                        $"honest validator {voter} signed {signed.Count} different votes at chain {chain} height {height}: "
                        + string.Join(", ", signed.Select(s => $"{s.Decision} {Short(s.Block)}"))));
            }
        }
    }

    private void CheckAttestationsOnce(WireLedger ledger, List<InvariantViolation> violations)
    {
        var byAttester = new Dictionary<(uint, ulong, ulong), List<(Hash32 Block, Decision Value)>>();
        foreach (var observed in ledger.Attestations)
        {
            var attestation = observed.Message;
            if (!isHonestValidator((int)attestation.AttesterIndex) || !verifier.IsValid(attestation))
                continue;
            var key = (attestation.AttesterIndex, attestation.Round.ChainId, attestation.Round.Height);
            if (!byAttester.TryGetValue(key, out var signed))
                byAttester[key] = signed = [];
            var statement = (attestation.Round.BlockHash, attestation.Value);
            if (signed.Contains(statement))
                continue;
            signed.Add(statement);
            if (signed.Count == 2)
                violations.Add(new("honest-attests-once",
                    $"honest validator {key.Item1} attested {string.Join(" and ", signed.Select(s => $"{s.Value} {Short(s.Block)}"))} "
                    + $"at chain {key.Item2} height {key.Item3}"));
        }
    }

    private static void CheckAgreement(Dictionary<Certificate, string> valid, List<InvariantViolation> violations)
    {
        var accepted = new Dictionary<(ulong, ulong), (Hash32 Block, string Source)>();
        foreach (var (certificate, source) in valid)
        {
            if (certificate.Value != Decision.Accept)
                continue;
            var key = (certificate.Round.ChainId, certificate.Round.Height);
            if (!accepted.TryGetValue(key, out var first))
                accepted[key] = (certificate.Round.BlockHash, source);
            else if (first.Block != certificate.Round.BlockHash)
                violations.Add(new("agreement",
                    $"two Accept certificates at chain {key.Item1} height {key.Item2}: block {Short(first.Block)} ({first.Source}) "
                    + $"and block {Short(certificate.Round.BlockHash)} ({source})"));
        }
    }

    private void CheckOneValuePerRound(Dictionary<Certificate, string> valid, List<InvariantViolation> violations)
    {
        var values = new Dictionary<RoundId, (Decision Value, string Source)>();
        foreach (var (certificate, source) in valid)
        {
            if (!values.TryGetValue(certificate.Round, out var first))
            {
                values[certificate.Round] = (certificate.Value, source);
                continue;
            }
            if (first.Value == certificate.Value)
                continue;
            var committee = verifier.Audit(certificate).Committee!;
            var byzantine = committee.Members.Count(m => !isHonestValidator(m.ValidatorIndex));
            if (byzantine <= IndependentVerifier.Tolerance(committee.Count))
                violations.Add(new("one-value-per-round",
                    $"Accept and Reject certificates for {Describe(certificate)} ({first.Source}; {source}) "
                    + $"with {byzantine} Byzantine of {committee.Count} members"));
        }
    }

    private void CheckAcceptBackedByVotes(
        Dictionary<Certificate, string> valid,
        Dictionary<(ulong Chain, ulong Height), Dictionary<uint, List<(Hash32 Block, Decision Decision)>>> votes,
        List<InvariantViolation> violations)
    {
        var checkedRounds = new HashSet<RoundId>();
        foreach (var (certificate, source) in valid)
        {
            if (certificate.Value != Decision.Accept || !checkedRounds.Add(certificate.Round))
                continue;
            var weight = 0UL;
            if (votes.TryGetValue((certificate.Round.ChainId, certificate.Round.Height), out var voters))
            {
                foreach (var (voter, signed) in voters)
                {
                    if (signed.Contains((certificate.Round.BlockHash, Decision.Accept)))
                        weight += verifier.Directory[(int)voter].Weight;
                }
            }
            if (!IndependentVerifier.IsAcceptWeight(weight, verifier.Directory.TotalWeight))
                violations.Add(new("accept-backed-by-votes",
                    $"{Describe(certificate)} ({source}) is backed by accept weight {weight} of {verifier.Directory.TotalWeight} "
                    + "in valid votes: not more than 2/3"));
        }
    }

    private static string Describe(in Certificate certificate) =>
        $"{certificate.Value} certificate for chain {certificate.Round.ChainId} height {certificate.Round.Height} block {Short(certificate.Round.BlockHash)}";

    private static string Short(in Hash32 hash) => hash.ToString()[..12];
}
