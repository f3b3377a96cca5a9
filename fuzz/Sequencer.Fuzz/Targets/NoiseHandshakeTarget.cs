using Sequencer.Net.Noise;
using static Sequencer.Fuzz.ContractViolationException;

namespace Sequencer.Fuzz.Targets;

/// <summary>
/// The Noise XX responder fed an initiator's byte stream: u16-prefixed frames read from segments of 1–16 bytes (the
/// first input byte picks the size), the first processed as message 1 and — after the responder answers with message
/// 2 — the second as message 3. Keys are fixed so that runs are deterministic. Checks: frame lengths read from the
/// segments equal those read from the bytes; every refusal is one of the errors a message can earn (too short, not
/// authentic, a low-order key); nothing throws.
/// </summary>
internal sealed class NoiseHandshakeTarget : IFuzzTarget
{
    private static readonly byte[] s_responderStatic = Filled(0x44);
    private static readonly byte[] s_responderEphemeral = Filled(0x55);
    private static readonly byte[] s_initiatorStatic = Filled(0x66);
    private static readonly byte[] s_initiatorEphemeral = Filled(0x77);

    public string Name => "noise-handshake";

    public IEnumerable<byte[]> Seeds()
    {
        // A real message 1, and a real message 3 answering the responder's deterministic message 2.
        using var initiator = new NoiseXXHandshakeState(true, [], s_initiatorStatic, s_initiatorEphemeral);
        using var responder = new NoiseXXHandshakeState(false, [], s_responderStatic, s_responderEphemeral);
        var message1 = new byte[NoiseXXHandshakeState.GetMessageSize(0, 0)];
        initiator.WriteMessage([], message1, out _);
        responder.ReadMessage(message1, new byte[message1.Length], out _);
        var message2 = new byte[NoiseXXHandshakeState.GetMessageSize(1, 3)];
        responder.WriteMessage([1, 2, 3], message2, out _);
        initiator.ReadMessage(message2, new byte[message2.Length], out _);
        var message3 = new byte[NoiseXXHandshakeState.GetMessageSize(2, 5)];
        initiator.WriteMessage([4, 5, 6, 7, 8], message3, out _);
        yield return [3, .. Frame(message1), .. Frame(message3)];
        yield return [0, .. Frame(message1)];
        yield return [15, .. Frame(message1), .. Frame(new byte[70])];
    }

    public void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
            return;
        var sequence = ChunkedSequence.Create(input[1..], input[0] % 16 + 1);
        var bytes = input[1..];
        using var responder = new NoiseXXHandshakeState(false, [], s_responderStatic, s_responderEphemeral);
        for (var message = 0; message < 2; message++)
        {
            var fromBytes = bytes.Length >= NoiseFraming.LengthPrefixSize ? bytes[0] << 8 | bytes[1] : -1;
            var found = NoiseFraming.TryReadLength(sequence, out var length);
            ThrowIf(found != (fromBytes >= 0) || (found && length != fromBytes), "the frame length read from segments differs");
            if (!found || sequence.Length < NoiseFraming.LengthPrefixSize + length)
                return;
            var frame = bytes.Slice(NoiseFraming.LengthPrefixSize, length);
            var payload = new byte[Math.Max(0, length)];
            var error = responder.ReadMessage(frame, payload, out var payloadLength);
            ThrowIf(!Enum.IsDefined(error), "an undefined NoiseError");
            if (error != NoiseError.None)
            {
                ThrowIf(error is not (NoiseError.MessageTooShort or NoiseError.DecryptionFailed or NoiseError.InvalidKeyAgreement),
                    $"message {2 * message + 1} was refused with {error}");
                return;
            }
            ThrowIf(payloadLength != NoiseXXHandshakeState.GetPayloadSize(responder.MessageIndex - 1, length),
                "the payload length does not follow from the message length");
            if (message == 1)
            {
                ThrowIf(!responder.IsComplete, "the handshake is not complete after message 3");
                var (send, receive) = responder.Split();
                send.Dispose();
                receive.Dispose();
                return;
            }
            var reply = new byte[NoiseXXHandshakeState.GetMessageSize(1, 0)];
            var writeError = responder.WriteMessage([], reply, out _);
            if (writeError != NoiseError.None)
            {
                ThrowIf(writeError != NoiseError.InvalidKeyAgreement, $"answering message 1 failed with {writeError}");
                return;
            }
            sequence = sequence.Slice(NoiseFraming.LengthPrefixSize + length);
            bytes = bytes[(NoiseFraming.LengthPrefixSize + length)..];
        }
    }

    private static byte[] Filled(byte value)
    {
        var key = new byte[32];
        key.AsSpan().Fill(value);
        return key;
    }

    private static byte[] Frame(byte[] message) => [(byte)(message.Length >> 8), (byte)message.Length, .. message];
}
