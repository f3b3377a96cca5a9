namespace Sequencer.Interop.Tests.Harness;

/// <summary>A node did not do what a test waited for; the message carries what it did print.</summary>
internal sealed class InteropException(string message) : Exception(message);
