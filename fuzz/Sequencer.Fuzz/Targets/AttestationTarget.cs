using System.Buffers;
using Sequencer.Core.Wire;
using static Sequencer.Fuzz.WireSamples;

namespace Sequencer.Fuzz.Targets;

/// <summary><see cref="Attestation.TryDecode"/>; a decoded attestation also gives its signing digest.</summary>
internal sealed class AttestationTarget : WireMessageTarget<Attestation>
{
    public override string Name => "wire-attestation";

    protected override WireMessageType Type => WireMessageType.Attestation;

    public override IEnumerable<byte[]> Seeds()
    {
        var attestation = new Attestation
        {
            Round = Round(1), DirectoryHash = Hash(2), CommitteeDigest = Hash(3), AttesterIndex = 11,
            Value = Decision.Accept, Signature = Signature(4),
        };
        yield return Encoded(attestation.Encode);
    }

    protected override WireResult Decode(ReadOnlySequence<byte> input, out Attestation message) =>
        Attestation.TryDecode(input, out message);

    protected override void Encode(in Attestation message, IBufferWriter<byte> output) => message.Encode(output);

    protected override bool AreEqual(in Attestation left, in Attestation right) => left.Equals(right);

    protected override void UseDecoded(in Attestation message)
    {
        Span<byte> digest = stackalloc byte[32];
        message.ComputeSigningDigest(digest);
    }
}
