using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Crdt;

/// <summary>
/// One voter's place in a <see cref="VoteSet"/>: a state word and room for one signature per decision. Every
/// transition is a compare-and-swap on the state word, so any number of threads may submit and complete votes for
/// the same voter at once without a lock.
/// </summary>
/// <remarks>
/// <para><b>The state word.</b> Two bits per decision (Accept in bits 0–1, Reject in bits 2–3), each side one of
/// <c>None</c> → <c>Pending</c> → <c>Held</c> → <c>Applied</c>. Read as the voter's state:
/// <list type="bullet">
/// <item><b>Empty</b>: both sides None.</item>
/// <item><b>Pending(d)</b>: a claimant owns side d's signature storage and is verifying it.</item>
/// <item><b>Counted(d)</b>: side d verified and its weight is in the tally (d Applied, the other side None or
/// Pending). A Pending other side is an equivocation candidate being verified once.</item>
/// <item><b>Equivocated</b>: both sides verified (Held or Applied): kept as evidence, the weight on neither side.</item>
/// </list></para>
/// <para><b>Transitions</b> (each one CAS loop on the whole word, so it always sees the other side's state as of the
/// same instant):
/// <list type="number">
/// <item><b>Claim(d)</b>: side d None → Pending; the winner alone then writes the signature into side d's storage and
/// has it verified. A claim that finds d Pending with the same signature bytes, or d Held/Applied with any
/// signature, is a duplicate and is dropped before any signature work (two valid signatures over one digest say the
/// same thing; honest voters re-send their stored one anyway). One that finds d Pending with <i>different</i> bytes
/// is <i>contended</i>: it is not verified now (one of the two is a forgery) and is offered again later.</item>
/// <item><b>Release(d)</b>: Pending → None after a failed verification (or when the vote could not be queued); the
/// storage is free for the next claimant. Forgeries are not remembered: keeping them would let a sender fill memory.</item>
/// <item><b>Verified(d)</b>: Pending → Held, observing the other side o in the same CAS:
///   o None/Pending — this side is the voter's first verified vote: add its weight to the tally, then Held → Applied,
///   observing the other side again; if it became Held meanwhile (an equivocation completed while this side was
///   adding), take the weight back out.
///   o Held — the other side is first and still adding: leave it; that thread sees this side at its Held → Applied CAS
///   and takes its own weight back out.
///   o Applied — the other side's weight is in the tally: take it back out here.</item>
/// </list></para>
/// <para><b>Why no lock is needed.</b> The one CAS decides who is first (exactly one side ever adds weight) and who
/// removes it (exactly one thread: the second side if the first has finished adding, else the first side itself,
/// which learns of the second in its own CAS). Removal always follows the addition it undoes, so no tally ever
/// goes below its true value, and each equivocator is booked exactly once. Signature storage needs no lock either:
/// side d's bytes are written only by the thread holding d Pending, and read by others only once d is Held or
/// Applied, which the CAS publishes after the write.</para>
/// </remarks>
internal struct VoterSlot
{
    private const int None = 0;
    private const int Pending = 1;
    private const int Held = 2;
    private const int Applied = 3;
    private const int SideMask = 3;

    private int _state;
    private SchnorrSignature _accept;
    private SchnorrSignature _reject;

    /// <summary>True when nothing is held or pending for this voter.</summary>
    public bool IsEmpty => Volatile.Read(ref _state) == 0;

    /// <summary>True when side <paramref name="decision"/> is neither held nor being verified.</summary>
    public bool Lacks(Decision decision) => Side(Volatile.Read(ref _state), decision) == None;

    /// <summary>The decisions held verified (Pending sides are not).</summary>
    public VoterDecisions Verified
    {
        get
        {
            var state = Volatile.Read(ref _state);
            var decisions = VoterDecisions.None;
            if (Side(state, Decision.Accept) >= Held)
                decisions |= VoterDecisions.Accept;
            if (Side(state, Decision.Reject) >= Held)
                decisions |= VoterDecisions.Reject;
            return decisions;
        }
    }

    /// <summary>
    /// Side <paramref name="decision"/>'s signature: the claimant's own while it holds the side Pending, otherwise
    /// meaningful only once <see cref="Verified"/> includes the decision.
    /// </summary>
    [UnscopedRef]
    public ref readonly SchnorrSignature SignatureOf(Decision decision) =>
        ref decision == Decision.Accept ? ref _accept : ref _reject;

    /// <summary>Transition 1.</summary>
    public SlotClaim TryClaim(Decision decision, in SchnorrSignature signature)
    {
        var shift = Shift(decision);
        while (true)
        {
            var state = Volatile.Read(ref _state);
            var side = (state >> shift) & SideMask;
            if (side == Pending)
                return SignatureOf(decision) == signature ? SlotClaim.Duplicate : SlotClaim.Contended;
            if (side != None)
                return SlotClaim.Duplicate;
            if (Interlocked.CompareExchange(ref _state, state | (Pending << shift), state) == state)
            {
                (decision == Decision.Accept ? ref _accept : ref _reject) = signature;
                return SlotClaim.Claimed;
            }
        }
    }

    /// <summary>Transition 2. Only the claimant calls it, with the side Pending.</summary>
    public void Release(Decision decision)
    {
        var shift = Shift(decision);
        int state;
        do
        {
            state = Volatile.Read(ref _state);
            Debug.Assert(((state >> shift) & SideMask) == Pending, "only a pending side is released");
        }
        while (Interlocked.CompareExchange(ref _state, state & ~(SideMask << shift), state) != state);
    }

    /// <summary>Transition 3. Only the claimant calls it, with the side Pending and its signature verified.</summary>
    public SlotCompletion Complete(Decision decision, ulong weight, IWeightTally tally)
    {
        var other = Opposite(decision);
        var otherSide = Transition(decision, Held);
        if (otherSide == Held)
            return SlotCompletion.Equivocation;
        if (otherSide == Applied)
        {
            tally.MoveToEquivocators(other, weight);
            return SlotCompletion.Equivocation;
        }

        var sideWeight = tally.Add(decision, weight);
        if (Transition(decision, Applied) == Held)
        {
            tally.MoveToEquivocators(decision, weight);
            return SlotCompletion.CountedThenEquivocated;
        }
        return SlotCompletion.Counted(sideWeight);
    }

    /// <summary>Sets <paramref name="decision"/>'s side to <paramref name="to"/>; returns the other side as seen by the CAS.</summary>
    private int Transition(Decision decision, int to)
    {
        var shift = Shift(decision);
        var otherShift = Shift(Opposite(decision));
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (Interlocked.CompareExchange(ref _state, (state & ~(SideMask << shift)) | (to << shift), state) == state)
                return (state >> otherShift) & SideMask;
        }
    }

    private static int Side(int state, Decision decision) => (state >> Shift(decision)) & SideMask;

    private static int Shift(Decision decision) => decision == Decision.Accept ? 0 : 2;

    private static Decision Opposite(Decision decision) => decision == Decision.Accept ? Decision.Reject : Decision.Accept;
}

/// <summary>What <see cref="VoterSlot.TryClaim"/> found.</summary>
internal enum SlotClaim : byte
{
    /// <summary>The caller now holds the side Pending and must verify, then complete or release it.</summary>
    Claimed,

    /// <summary>The same vote is held or being verified: drop it, no signature work.</summary>
    Duplicate,

    /// <summary>Another signature for the same vote is being verified: offer this one again later.</summary>
    Contended,
}

/// <summary>What <see cref="VoterSlot.Complete"/> did to the tally.</summary>
internal readonly struct SlotCompletion
{
    private SlotCompletion(bool isEquivocation, bool weightStands, ulong sideWeight)
    {
        IsEquivocation = isEquivocation;
        WeightStands = weightStands;
        SideWeight = sideWeight;
    }

    /// <summary>The completed vote is its voter's second, conflicting one.</summary>
    public bool IsEquivocation { get; }

    /// <summary>The vote's weight was added and still counts; <see cref="SideWeight"/> is its side's weight right after.</summary>
    public bool WeightStands { get; }

    public ulong SideWeight { get; }

    public static SlotCompletion Counted(ulong sideWeight) => new(false, true, sideWeight);

    /// <summary>A first vote whose weight was taken back at once: the other side completed while it was being added.</summary>
    public static SlotCompletion CountedThenEquivocated => new(false, false, 0);

    public static SlotCompletion Equivocation => new(true, false, 0);
}
