using Sequencer.Net.PubSub.Wire;

namespace Sequencer.Net.PubSub.Signing;

/// <summary>
/// Computes a message's id into <paramref name="destination"/> and returns its length, or -1 when the message has no
/// id under this function or it does not fit. Ids only travel in IHAVE/IWANT/IDONTWANT, but every node of a network
/// must compute the same ids, so pick the function the other implementations use (see <see cref="MessageIds"/>).
/// </summary>
public delegate int MessageIdFunction(in MessageFields message, Span<byte> destination);
