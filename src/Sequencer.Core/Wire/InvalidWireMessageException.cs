namespace Sequencer.Core.Wire;

/// <summary>
/// Thrown by an encoder asked to write a message that fails its own <c>Validate()</c>: that is a bug in the caller
/// (the decoders never throw; they return a <see cref="WireResult"/>). Refusing here means this node can never put a
/// message on the wire that an honest peer would reject.
/// </summary>
public sealed class InvalidWireMessageException : Exception
{
    public InvalidWireMessageException(WireMessageType messageType, WireResult result)
        : base($"refusing to encode an invalid {messageType} message: {result}")
    {
        MessageType = messageType;
        Result = result;
    }

    public WireMessageType MessageType { get; }

    public WireResult Result { get; }
}
