using Microsoft.Extensions.Time.Testing;
using Sequencer.Core.Ports;
using Sequencer.Core.Primitives;
using Sequencer.Core.Wire;
using Sequencer.Host.Node;

namespace Sequencer.Host.Tests.Node;

/// <summary>
/// The Block module's stand-in: a block must extend the block this node's decision log accepted at h − 1, and is
/// accepted when the node cannot tell.
/// </summary>
public sealed class ChainContinuityValidatorTests
{
    private const ulong Chain = 7;

    [Fact]
    public async Task Accepts_a_block_when_no_certificate_is_held_at_the_height_below()
    {
        var (book, validator) = Create();
        book.RecordCertificate(new RoundId(Chain, 4, Hash(0x44)), Decision.Accept);

        Assert.Equal(Decision.Accept, await ValidateAsync(validator, Chain, 7, parent: Hash(0x01)));
        // Height 1's parent is the genesis side: nothing below it to hold.
        Assert.Equal(Decision.Accept, await ValidateAsync(validator, Chain, 1, parent: Hash(0x01)));
    }

    [Fact]
    public async Task Accepts_a_block_whose_parent_is_the_block_accepted_at_the_height_below()
    {
        var (book, validator) = Create();
        book.RecordCertificate(new RoundId(Chain, 4, Hash(0x44)), Decision.Accept);

        Assert.Equal(Decision.Accept, await ValidateAsync(validator, Chain, 5, parent: Hash(0x44)));
    }

    [Fact]
    public async Task Rejects_a_block_whose_parent_differs_from_the_block_accepted_at_the_height_below()
    {
        var (book, validator) = Create();
        book.RecordCertificate(new RoundId(Chain, 4, Hash(0x44)), Decision.Accept);

        Assert.Equal(Decision.Reject, await ValidateAsync(validator, Chain, 5, parent: Hash(0x45)));
    }

    [Fact]
    public async Task A_reject_certificate_below_or_a_block_of_another_chain_is_no_reason_to_reject()
    {
        var (book, validator) = Create();
        book.RecordCertificate(new RoundId(Chain, 4, Hash(0x44)), Decision.Reject);
        book.RecordCertificate(new RoundId(Chain, 8, Hash(0x88)), Decision.Accept);

        // The rejected block was never part of the chain: any parent may follow it.
        Assert.Equal(Decision.Accept, await ValidateAsync(validator, Chain, 5, parent: Hash(0x45)));
        // This node's log is about its own chain only.
        Assert.Equal(Decision.Accept, await ValidateAsync(validator, Chain + 1, 9, parent: Hash(0x99)));
        Assert.Equal(Decision.Reject, await ValidateAsync(validator, Chain, 9, parent: Hash(0x99)));
    }

    private static (DecisionBook Book, ChainContinuityValidator Validator) Create()
    {
        var book = new DecisionBook(Chain, new FakeTimeProvider(), TimeSpan.FromSeconds(20));
        return (book, new ChainContinuityValidator(book));
    }

    private static async Task<Decision> ValidateAsync(ChainContinuityValidator validator, ulong chain, ulong height, Hash32 parent) =>
        await validator.ValidateAsync(new ProposedBlock(chain, height, parent, Hash(0xee), ReadOnlyMemory<byte>.Empty), CancellationToken.None);

    internal static Hash32 Hash(byte fill)
    {
        Span<byte> bytes = stackalloc byte[Hash32.Length];
        bytes.Fill(fill);
        return Hash32.FromSpan(bytes);
    }
}
