namespace Sequencer.Core.Identity;

/// <summary>A key file could not be written or was refused on reading; the message names the file and the reason.</summary>
public sealed class KeyFileException(string message, Exception? inner = null) : Exception(message, inner);
