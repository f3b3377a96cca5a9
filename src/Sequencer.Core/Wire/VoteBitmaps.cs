namespace Sequencer.Core.Wire;

/// <summary>
/// A set of votes named without their signatures: one <see cref="VoterBitmap"/> per decision, so a voter may appear
/// in both (an equivocator's two votes). This is what vote-set summaries and fetches speak in. A single bitmap of
/// voters cannot do it: a replica holding an equivocator's Accept and a replica holding its Reject would both say
/// "I hold that voter", and anti-entropy would never bring the two halves together.
/// <code>
/// size field
///    2 acceptLength  u16 BE, ≤ 8192
///    … accepts       VoterBitmap of voters whose Accept is named, minimal (last byte non-zero); may be empty
///    2 rejectLength  u16 BE, ≤ 8192
///    … rejects       VoterBitmap of voters whose Reject is named, minimal; may be empty
/// </code>
/// Each bitmap is minimal, so one set of votes has exactly one encoding; honest voters all vote once, so the reject
/// bitmap is usually short or empty and the pair costs little more than one bitmap. A decoded pair borrows the input.
/// </summary>
public readonly struct VoteBitmaps : IEquatable<VoteBitmaps>
{
    public VoteBitmaps(VoterBitmap accepts, VoterBitmap rejects)
    {
        Accepts = accepts;
        Rejects = rejects;
    }

    /// <summary>Voters whose Accept vote is named.</summary>
    public VoterBitmap Accepts { get; }

    /// <summary>Voters whose Reject vote is named.</summary>
    public VoterBitmap Rejects { get; }

    /// <summary>True when no vote is named.</summary>
    public bool IsEmpty => Accepts.MinimalLength == 0 && Rejects.MinimalLength == 0;

    /// <summary>How many votes are named (an equivocator's two count twice).</summary>
    public int Count => Accepts.Count + Rejects.Count;

    public bool Contains(uint voter, Decision decision) =>
        (decision == Decision.Accept ? Accepts : Rejects).Contains(voter);

    /// <summary>The named voters in ascending order, each with the decisions named for it.</summary>
    public Enumerator GetEnumerator() => new(Accepts.GetEnumerator(), Rejects.GetEnumerator());

    internal int EncodedLength => Accepts.EncodedLength + Rejects.EncodedLength;

    /// <summary>Both bitmaps within <see cref="WireLimits.MaxVoterBitmapLength"/>.</summary>
    internal WireResult Validate()
    {
        if (Accepts.MinimalLength > WireLimits.MaxVoterBitmapLength)
            return WireResult.TooLarge(WireField.AcceptBitmapLength);
        if (Rejects.MinimalLength > WireLimits.MaxVoterBitmapLength)
            return WireResult.TooLarge(WireField.RejectBitmapLength);
        return WireResult.Ok;
    }

    internal void Write(ref WireWriter writer)
    {
        Accepts.Write(ref writer);
        Rejects.Write(ref writer);
    }

    internal static WireResult Read(ref WireReader reader, out VoteBitmaps votes)
    {
        votes = default;
        var accepts = VoterBitmap.Read(ref reader, WireField.AcceptBitmapLength, WireField.AcceptBitmap, out var acceptBitmap);
        if (!accepts.IsOk)
            return accepts;
        var rejects = VoterBitmap.Read(ref reader, WireField.RejectBitmapLength, WireField.RejectBitmap, out var rejectBitmap);
        if (!rejects.IsOk)
            return rejects;
        votes = new VoteBitmaps(acceptBitmap, rejectBitmap);
        return WireResult.Ok;
    }

    /// <summary>Same votes named, whatever the trailing zero bytes.</summary>
    public bool Equals(VoteBitmaps other) => Accepts.Equals(other.Accepts) && Rejects.Equals(other.Rejects);

    public override bool Equals(object? obj) => obj is VoteBitmaps other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Accepts, Rejects);

    public static bool operator ==(VoteBitmaps left, VoteBitmaps right) => left.Equals(right);

    public static bool operator !=(VoteBitmaps left, VoteBitmaps right) => !left.Equals(right);

    /// <summary>One named voter and which of its votes are named (at least one).</summary>
    public readonly record struct Entry(uint Voter, bool Accept, bool Reject)
    {
        public bool Names(Decision decision) => decision == Decision.Accept ? Accept : Reject;
    }

    /// <summary>Merges the two bitmaps' ascending walks into one walk over voters.</summary>
    public struct Enumerator
    {
        private VoterBitmap.Enumerator _accepts;
        private VoterBitmap.Enumerator _rejects;
        private bool _hasAccept;
        private bool _hasReject;
        private Entry _current;

        internal Enumerator(VoterBitmap.Enumerator accepts, VoterBitmap.Enumerator rejects)
        {
            _accepts = accepts;
            _rejects = rejects;
            _hasAccept = _accepts.MoveNext();
            _hasReject = _rejects.MoveNext();
            _current = default;
        }

        public readonly Entry Current => _current;

        public bool MoveNext()
        {
            if (!_hasAccept && !_hasReject)
                return false;
            var voter = !_hasReject || (_hasAccept && _accepts.Current <= _rejects.Current) ? _accepts.Current : _rejects.Current;
            var accept = _hasAccept && _accepts.Current == voter;
            var reject = _hasReject && _rejects.Current == voter;
            _current = new Entry(voter, accept, reject);
            if (accept)
                _hasAccept = _accepts.MoveNext();
            if (reject)
                _hasReject = _rejects.MoveNext();
            return true;
        }
    }
}
