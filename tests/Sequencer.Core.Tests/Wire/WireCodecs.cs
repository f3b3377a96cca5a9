using System.Buffers;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Tests.Wire;

/// <summary>Every message type's encoder and decoder behind one switch, so properties can run over all of them.</summary>
internal static class WireCodecs
{
    public static readonly WireMessageType[] AllTypes = Enum.GetValues<WireMessageType>();

    public static byte[] Encode(object message)
    {
        var output = new ArrayBufferWriter<byte>();
        switch (message)
        {
            case Invitation m: m.Encode(output); break;
            case InvitationReply m: m.Encode(output); break;
            case Proposal m: m.Encode(output); break;
            case Vote m: m.Encode(output); break;
            case VoteAck m: m.Encode(output); break;
            case DeltaMessage m: VoteSetDelta.Encode(output, m.Round, m.DirectoryHash, m.Entries); break;
            case VoteSetSummary m: m.Encode(output); break;
            case VoteFetch m: m.Encode(output); break;
            case Attestation m: m.Encode(output); break;
            case Certificate m: m.Encode(output); break;
            default: throw new ArgumentException($"not a wire message: {message.GetType()}", nameof(message));
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Decodes with the decoder for <paramref name="type"/>; the message is null unless the result is Ok.</summary>
    public static WireResult Decode(WireMessageType type, ReadOnlySequence<byte> input, out object? message)
    {
        WireResult result;
        switch (type)
        {
            case WireMessageType.Invitation: result = Invitation.TryDecode(input, out var invitation); message = invitation; break;
            case WireMessageType.InvitationReply: result = InvitationReply.TryDecode(input, out var reply); message = reply; break;
            case WireMessageType.Proposal: result = Proposal.TryDecode(input, out var proposal); message = proposal; break;
            case WireMessageType.Vote: result = Vote.TryDecode(input, out var vote); message = vote; break;
            case WireMessageType.VoteAck: result = VoteAck.TryDecode(input, out var ack); message = ack; break;
            case WireMessageType.VoteSetDelta:
                result = VoteSetDelta.TryDecode(input, out var delta);
                message = result.IsOk ? DeltaMessage.From(delta) : null;
                break;
            case WireMessageType.VoteSetSummary: result = VoteSetSummary.TryDecode(input, out var summary); message = summary; break;
            case WireMessageType.VoteFetch: result = VoteFetch.TryDecode(input, out var fetch); message = fetch; break;
            case WireMessageType.Attestation: result = Attestation.TryDecode(input, out var attestation); message = attestation; break;
            case WireMessageType.Certificate: result = Certificate.TryDecode(input, out var certificate); message = certificate; break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
        if (!result.IsOk)
            message = null;
        return result;
    }

    public static WireResult Decode(WireMessageType type, byte[] input, out object? message) =>
        Decode(type, new ReadOnlySequence<byte>(input), out message);
}
