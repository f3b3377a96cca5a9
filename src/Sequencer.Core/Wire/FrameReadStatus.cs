namespace Sequencer.Core.Wire;

/// <summary>What <see cref="WireFrame.TryReadFrame"/> found at the start of the buffer.</summary>
public enum FrameReadStatus : byte
{
    /// <summary>One whole frame was consumed; its payload is returned.</summary>
    Complete,

    /// <summary>The buffer ends inside the length prefix or the payload; nothing was consumed. Read more and retry.</summary>
    NeedMoreData,

    /// <summary>The declared length exceeds the bound; nothing was consumed. The stream cannot be resynchronised: close it.</summary>
    TooLarge,

    /// <summary>The length prefix is not a minimal unsigned varint; nothing was consumed. Close the stream.</summary>
    MalformedLength,
}
