namespace Sequencer.Net.PubSub.Signing;

/// <summary>Why a message fails its signature policy (before any topic validator sees it).</summary>
public enum MessageRejection
{
    None,
    MissingTopic,
    MissingFrom,
    MissingSeqno,
    /// <summary>StrictSign demands an 8-byte sequence number.</summary>
    InvalidSeqno,
    MissingSignature,
    InvalidPeerId,
    InvalidKey,
    KeyMismatch,
    InvalidSignature,
    /// <summary>StrictNoSign: the message carries from, seqno, signature or key.</summary>
    UnexpectedAuthentication,
    /// <summary>The message id function could not produce an id for it.</summary>
    NoMessageId,
}
