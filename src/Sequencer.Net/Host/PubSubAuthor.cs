using Sequencer.Core.Identity;
using Sequencer.Net.PubSub;

namespace Sequencer.Net.Host;

/// <summary>Who wrote a pubsub message, as far as the router has authenticated it.</summary>
public static class PubSubAuthor
{
    /// <summary>
    /// The author of <paramref name="message"/> under StrictSign: its <c>from</c> peer id, which the router has already
    /// checked against the message's signature (and key) before any validator sees it. False under StrictNoSign,
    /// where messages carry no author.
    /// </summary>
    public static bool TryGet(PubSubMessage message, out PeerId author)
    {
        ArgumentNullException.ThrowIfNull(message);
        return PeerId.TryFromBytes(message.From.Span, out author);
    }
}
