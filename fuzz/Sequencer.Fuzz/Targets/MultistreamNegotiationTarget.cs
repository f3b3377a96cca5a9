using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Sequencer.Net.Multistream;
using Sequencer.Net.Transport;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// A multistream-select negotiation fed the input as its peer's byte stream, then the peer's end of stream: the
/// listener (<see cref="MultistreamSelect.ListenAsync"/>) facing a dialer, or the dialer
/// (<see cref="MultistreamSelect.SelectAsync"/>) facing a listener. The first input byte picks the side, the message
/// bound (the default or one just above the header's length) and the write segments (1–32 bytes).
/// <para>
/// Checks: the negotiation ends — within <see cref="RemotePeer.Deadline"/> — with a protocol of its list or a
/// <see cref="MultistreamException"/> whose error that side can meet (no Timeout: the input ends, so no negotiation
/// may wait for more); after success the bytes left in the channel are exactly those that followed the peer's message
/// naming the protocol (a pipelined first frame must reach the protocol untouched); what the negotiation sent is a run
/// of well-formed messages starting with the multistream header and, after success, ending with the protocol.
/// </para>
/// </summary>
internal sealed class MultistreamNegotiationTarget : IFuzzTarget
{
    private static readonly string[] s_supported = ["/yamux/1.0.0", "/meshsub/1.1.0", "/ipfs/id/1.0.0"];
    private static readonly string[] s_proposals = ["/meshsub/1.2.0", "/meshsub/1.1.0", "/floodsub/1.0.0"];

    // The header is 19 bytes with its newline: the small bound refuses every longer message.
    private static readonly MultistreamOptions[] s_options =
    [
        new() { Timeout = Timeout.InfiniteTimeSpan },
        new() { Timeout = Timeout.InfiniteTimeSpan, MaxMessageLength = 19 },
    ];

    public string Name => "multistream-negotiation";

    public IEnumerable<byte[]> Seeds()
    {
        var header = MultistreamMessageTarget.Encode(MultistreamSelect.ProtocolId);
        // Listener: a refused proposal, ls, then an accepted one with a pipelined frame behind it.
        yield return
        [
            0x00 | 4 << 2, .. header, .. Encode("/noise"), .. Encode("ls"), .. Encode("/meshsub/1.1.0"), 0x03, 0xAA, 0xBB, 0xCC,
        ];
        // Listener: header and proposal in one write, as a pipelining dialer sends them.
        yield return [0x00 | 31 << 2, .. header, .. Encode("/yamux/1.0.0")];
        // Dialer: the listener refuses the first proposal and accepts the second.
        yield return [0x01 | 7 << 2, .. header, .. Encode("na"), .. Encode("/meshsub/1.1.0"), 0x00];
        // Dialer with the small bound: the listener refuses everything.
        yield return [0x03, .. header, .. Encode("na"), .. Encode("na"), .. Encode("na")];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var isDialer = (input[0] & 1) != 0;
        var options = s_options[(input[0] >> 1) & 1];
        var segmentLength = (input[0] >> 2) % 32 + 1;
        var bytes = input[1..].ToArray();
        RemotePeer.Run(() => ExchangeAsync(bytes, isDialer, options, segmentLength), "multistream-select");
    }

    private static async Task ExchangeAsync(byte[] bytes, bool isDialer, MultistreamOptions options, int segmentLength)
    {
        var (local, remote) = PipeFactory.CreateConnectedPair();
        var receiving = RemotePeer.ReceiveAsync(remote.Input);
        var sending = RemotePeer.SendAsync(remote.Output, bytes, segmentLength);
        string? selected = null;
        MultistreamException? failure = null;
        try
        {
            selected = isDialer
                ? await MultistreamSelect.SelectAsync(local, s_proposals, options)
                : await MultistreamSelect.ListenAsync(local, s_supported, options);
        }
        catch (MultistreamException e)
        {
            failure = e;
        }
        var rest = selected is null ? [] : await ReadToEndAsync(local.Input);
        await local.Input.CompleteAsync();
        await local.Output.CompleteAsync();
        await sending;
        var (sent, sendError) = await receiving;
        ThrowIf(sendError is not null, $"the negotiation's output failed: {sendError}");

        if (failure is not null)
        {
            ThrowIf(isDialer
                    ? failure.Error is MultistreamError.TooManyProposals or MultistreamError.Timeout
                    : failure.Error is MultistreamError.UnexpectedResponse or MultistreamError.NoProtocolAgreed or MultistreamError.Timeout,
                $"the {(isDialer ? "dialer" : "listener")} failed with {failure.Error}: {failure.Message}");
        }
        else
        {
            ThrowIf(Array.IndexOf(isDialer ? s_proposals : s_supported, selected) < 0, $"'{selected}' is not a protocol of the list");
            var accepted = MultistreamMessageTarget.Encode(selected!);
            ThrowIf(!bytes.AsSpan(0, bytes.Length - rest.Length).EndsWith(accepted) || !bytes.AsSpan().EndsWith(rest),
                $"after agreeing on '{selected}', {rest.Length} bytes are left, not what followed the peer's message naming it");
        }
        CheckSent(sent, selected);
    }

    /// <summary>What the negotiation sent: messages only, the header first, and the agreed protocol last.</summary>
    private static void CheckSent(byte[] sent, string? selected)
    {
        var buffer = new ReadOnlySequence<byte>(sent);
        var first = true;
        var last = default(ReadOnlySequence<byte>);
        while (!buffer.IsEmpty)
        {
            // An ls answer is as long as the list, beyond the bound on received messages.
            var status = MultistreamMessage.TryRead(buffer, 64 * 1024, out var line, out var end, out _);
            ThrowIf(status != OperationStatus.Done, $"the negotiation sent an unreadable message ({status})");
            ThrowIf(first && !LineIs(line, MultistreamSelect.ProtocolId),
                "the negotiation's first message is not the multistream header");
            first = false;
            last = line;
            buffer = buffer.Slice(end);
        }
        if (selected is not null)
        {
            ThrowIf(!LineIs(last, selected),
                $"the negotiation agreed on '{selected}' but its last message does not name it");
        }
    }

    private static bool LineIs(in ReadOnlySequence<byte> line, string text) => line.ToArray().AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(text));

    private static async Task<byte[]> ReadToEndAsync(PipeReader input)
    {
        while (true)
        {
            var result = await input.ReadAsync();
            if (result.IsCompleted)
            {
                var bytes = result.Buffer.ToArray();
                input.AdvanceTo(result.Buffer.End);
                return bytes;
            }
            input.AdvanceTo(result.Buffer.Start, result.Buffer.End);
        }
    }

    private static byte[] Encode(string text) => MultistreamMessageTarget.Encode(text);
}
