namespace Sequencer.Core.Crypto;

/// <summary>A native cryptographic library could not be loaded or initialised: the node cannot run without it.</summary>
public sealed class CryptographicLibraryException(string message) : Exception(message);
