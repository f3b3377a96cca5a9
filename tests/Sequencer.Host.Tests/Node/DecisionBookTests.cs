using Microsoft.Extensions.Time.Testing;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;
using Sequencer.Host.Node;

namespace Sequencer.Host.Tests.Node;

/// <summary>
/// The answers to the control protocol's <c>decision</c> query (NODE.md §2): accepted/rejected from a held certificate,
/// timedOut once a round the node took part in is past its bound without one, pending while such a round is live or
/// before that bound, unknown for a height the node never heard of.
/// </summary>
public sealed class DecisionBookTests
{
    private const ulong Chain = 3;
    private static readonly TimeSpan RoundBound = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_height_never_heard_of_is_unknown()
    {
        var book = new DecisionBook(Chain, _time, RoundBound);

        Assert.Equal(new DecisionAnswer(9, DecisionState.Unknown, null), book.Query(9, live: false));
    }

    [Fact]
    public void A_held_certificate_answers_accepted_or_rejected_with_its_block_even_while_a_round_is_live()
    {
        var book = new DecisionBook(Chain, _time, RoundBound);
        book.RecordCertificate(new RoundId(Chain, 1, Hash(0x11)), Decision.Accept);
        book.RecordParticipation(new RoundId(Chain, 2, Hash(0x22)));
        book.RecordCertificate(new RoundId(Chain, 2, Hash(0x22)), Decision.Reject);

        Assert.Equal(new DecisionAnswer(1, DecisionState.Accepted, Hash(0x11)), book.Query(1, live: true));
        _time.Advance(RoundBound * 2);
        Assert.Equal(new DecisionAnswer(2, DecisionState.Rejected, Hash(0x22)), book.Query(2, live: false));
        Assert.True(book.TryGetAccepted(1, out var accepted));
        Assert.Equal(Hash(0x11), accepted);
        Assert.False(book.TryGetAccepted(2, out _));
    }

    [Fact]
    public void Participation_is_pending_until_its_bound_has_passed_and_then_timed_out()
    {
        var book = new DecisionBook(Chain, _time, RoundBound);
        book.RecordParticipation(new RoundId(Chain, 5, Hash(0x55)));

        Assert.Equal(DecisionState.Pending, book.Query(5, live: false).State);
        _time.Advance(RoundBound - TimeSpan.FromMilliseconds(1));
        Assert.Equal(DecisionState.Pending, book.Query(5, live: false).State);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(new DecisionAnswer(5, DecisionState.TimedOut, null), book.Query(5, live: false));
        // A round the loop still holds live is pending whatever the clock says.
        Assert.Equal(DecisionState.Pending, book.Query(5, live: true).State);
        // "live" is the loop's word that it holds a round at this very height, so it stands even without a recorded role.
        Assert.Equal(DecisionState.Pending, book.Query(6, live: true).State);
    }

    [Fact]
    public void A_later_role_in_a_round_at_the_same_height_extends_its_bound()
    {
        var book = new DecisionBook(Chain, _time, RoundBound);
        book.RecordParticipation(new RoundId(Chain, 5, Hash(0x55)));
        _time.Advance(TimeSpan.FromSeconds(20));
        book.RecordParticipation(new RoundId(Chain, 5, Hash(0x56)));

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(DecisionState.Pending, book.Query(5, live: false).State);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(DecisionState.TimedOut, book.Query(5, live: false).State);
    }

    [Fact]
    public void A_certificate_arriving_after_the_deadline_turns_timed_out_into_its_value()
    {
        var book = new DecisionBook(Chain, _time, RoundBound);
        book.RecordParticipation(new RoundId(Chain, 5, Hash(0x55)));
        _time.Advance(RoundBound);
        Assert.Equal(DecisionState.TimedOut, book.Query(5, live: false).State);

        book.RecordCertificate(new RoundId(Chain, 5, Hash(0x55)), Decision.Accept);

        Assert.Equal(new DecisionAnswer(5, DecisionState.Accepted, Hash(0x55)), book.Query(5, live: false));
    }

    [Fact]
    public void Records_of_another_chain_are_ignored()
    {
        var book = new DecisionBook(Chain, _time, RoundBound);
        book.RecordCertificate(new RoundId(Chain + 1, 1, Hash(0x11)), Decision.Accept);
        book.RecordParticipation(new RoundId(Chain + 1, 2, Hash(0x22)));

        Assert.Equal(DecisionState.Unknown, book.Query(1, live: false).State);
        Assert.Equal(DecisionState.Unknown, book.Query(2, live: false).State);
        Assert.False(book.TryGetAccepted(1, out _));
    }

    [Fact]
    public void Beyond_the_limit_the_oldest_heights_are_forgotten_first()
    {
        var book = new DecisionBook(Chain, _time, RoundBound);
        for (var height = 1UL; height <= DecisionBook.MaxHeights; height++)
            book.RecordCertificate(new RoundId(Chain, height, Hash((byte)height)), Decision.Accept);
        // Known heights do not count twice: participation in height 2 adds nothing to forget.
        book.RecordParticipation(new RoundId(Chain, 2, Hash(0x02)));
        Assert.Equal(DecisionState.Accepted, book.Query(1, live: false).State);

        book.RecordParticipation(new RoundId(Chain, DecisionBook.MaxHeights + 1, Hash(0xff)));

        Assert.Equal(DecisionState.Unknown, book.Query(1, live: false).State);
        Assert.Equal(DecisionState.Accepted, book.Query(2, live: false).State);
        Assert.Equal(DecisionState.Pending, book.Query(DecisionBook.MaxHeights + 1, live: false).State);
    }

    private static Hash32 Hash(byte fill) => ChainContinuityValidatorTests.Hash(fill);
}
