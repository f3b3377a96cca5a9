using System.Buffers;
using Sequencer.Core.Wire;

namespace Sequencer.Simulation.Byzantine;

/// <summary>Small helpers the behaviours share to read the type of a payload and to pick recipients.</summary>
internal static class WireMessages
{
    public static WireMessageType? TypeOf(ReadOnlyMemory<byte> payload) =>
        WireHeader.TryPeek(new ReadOnlySequence<byte>(payload), out var type).IsOk ? type : null;

    public static ReadOnlySequence<byte> Sequence(ReadOnlyMemory<byte> payload) => new(payload);

    /// <summary>
    /// Splits validators into two halves by a per-message coin (so each message shows a different split), the way a
    /// two-faced sender would pick whom to show what.
    /// </summary>
    public static Func<int, bool> RandomHalf(Random random)
    {
        var salt = random.Next();
        return validator => ((uint)(validator * 0x9E3779B1 ^ salt) >> 7 & 1) == 0;
    }
}
