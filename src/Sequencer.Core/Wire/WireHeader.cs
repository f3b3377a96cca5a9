using System.Buffers;

namespace Sequencer.Core.Wire;

/// <summary>
/// The two bytes every message starts with: version, then type. A router peeks at them to pick the one decoder that
/// reads the rest; that decoder checks them again, so a message can never be parsed as another type.
/// </summary>
public static class WireHeader
{
    public const int Length = 2;

    /// <summary>The type of the message in <paramref name="input"/>, consuming nothing.</summary>
    public static WireResult TryPeek(ReadOnlySequence<byte> input, out WireMessageType type)
    {
        type = default;
        var reader = new SequenceReader<byte>(input);
        if (!reader.TryRead(out var version))
            return WireResult.Truncated(WireField.Version);
        if (version != WireVersion.Current)
            return new WireResult(WireError.UnsupportedVersion, WireField.Version);
        if (!reader.TryRead(out var raw))
            return WireResult.Truncated(WireField.MessageType);
        if (!((WireMessageType)raw).IsDefined())
            return new WireResult(WireError.UnknownMessageType, WireField.MessageType);
        type = (WireMessageType)raw;
        return WireResult.Ok;
    }
}
