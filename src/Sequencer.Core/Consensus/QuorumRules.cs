namespace Sequencer.Core.Consensus;

/// <summary>
/// The one place the thresholds of DESIGN §3 are computed (the original had three different majority formulas, see
/// the reference §9.5). Integer arithmetic only, widened to 128 bits so no weight sum can overflow; nothing
/// consensus-critical ever touches floating point.
/// </summary>
/// <remarks>
/// <para>Rule 1 — accept: a buddy attests <c>Accept</c> once verified accept weight is strictly more than two thirds
/// of the directory's total weight <c>W</c>: <c>3·accept &gt; 2·W</c>.</para>
/// <para>Rule 2 — reject: a buddy attests <c>Reject</c> once verified reject weight is at least one third of
/// <c>W</c>: <c>3·reject ≥ W</c>. From then on accept can reach at most <c>W − reject ≤ 2W/3</c>, never more than two
/// thirds, because honest voters vote once and an equivocator's weight counts for neither side.</para>
/// <para>Rule 3 — certificate: attestations of one value from strictly more than two thirds of the committee:
/// <c>3·signers &gt; 2·n</c>. Two such quorums of different values intersect in more than <c>n/3</c> members, so in
/// at least one honest member when at most <c>f = ⌊(n−1)/3⌋</c> are faulty.</para>
/// </remarks>
public static class QuorumRules
{
    /// <summary>Rule 1: <c>3·acceptWeight &gt; 2·totalWeight</c>.</summary>
    public static bool IsAcceptQuorum(ulong acceptWeight, ulong totalWeight) =>
        (UInt128)acceptWeight * 3 > (UInt128)totalWeight * 2;

    /// <summary>Rule 2: <c>3·rejectWeight ≥ totalWeight</c> (and a positive reject weight: an empty directory decides nothing).</summary>
    public static bool IsRejectQuorum(ulong rejectWeight, ulong totalWeight) =>
        rejectWeight > 0 && (UInt128)rejectWeight * 3 >= totalWeight;

    /// <summary>Rule 3: <c>3·signers &gt; 2·committeeSize</c>.</summary>
    public static bool IsCertificateQuorum(int signers, int committeeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(signers);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(committeeSize);
        return (long)signers * 3 > (long)committeeSize * 2;
    }

    /// <summary>The smallest number of signers that satisfies rule 3: <c>⌊2n/3⌋ + 1</c>.</summary>
    public static int MinimumCertificateSigners(int committeeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(committeeSize);
        return committeeSize * 2 / 3 + 1;
    }

    /// <summary>How many faulty committee members rule 3 tolerates while staying live: <c>f = ⌊(n−1)/3⌋</c>.</summary>
    public static int FaultTolerance(int committeeSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(committeeSize);
        return (committeeSize - 1) / 3;
    }
}
