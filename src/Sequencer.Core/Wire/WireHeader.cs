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
        Span<byte> header = stackalloc byte[Length];
        var available = (int)Math.Min(input.Length, Length);
        input.Slice(0, available).CopyTo(header);
        return TryPeek(header[..available], out type);
    }

    /// <summary>The same check on a span: the version and a known message type, nothing else read.</summary>
    public static WireResult TryPeek(ReadOnlySpan<byte> input, out WireMessageType type)
    {
        type = default;
        if (input.Length < 1)
            return WireResult.Truncated(WireField.Version);
        if (input[0] != WireVersion.Current)
            return new WireResult(WireError.UnsupportedVersion, WireField.Version);
        if (input.Length < 2)
            return WireResult.Truncated(WireField.MessageType);
        if (!((WireMessageType)input[1]).IsDefined())
            return new WireResult(WireError.UnknownMessageType, WireField.MessageType);
        type = (WireMessageType)input[1];
        return WireResult.Ok;
    }
}
