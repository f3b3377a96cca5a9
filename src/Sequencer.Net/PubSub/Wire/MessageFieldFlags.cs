namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// Which optional fields of a pubsub Message were present on the wire. Presence matters beyond the bytes: the
/// signature covers the re-encoded message, and js and go encode an empty field that was present (length 0) but
/// omit an absent one, so a verifier must reproduce exactly the fields the author wrote.
/// </summary>
[Flags]
public enum MessageFieldFlags : byte
{
    None = 0,
    From = 1 << 0,
    Data = 1 << 1,
    Seqno = 1 << 2,
    Topic = 1 << 3,
    Signature = 1 << 4,
    Key = 1 << 5,
}
