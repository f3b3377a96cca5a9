using Sequencer.Core.Crypto;

namespace Sequencer.Core.Wire;

/// <summary>
/// One BIP340 tag per kind of signed statement. The tag is the first thing hashed, so a signature over one kind can
/// never verify as another even when the field bytes happen to coincide; "/v1" ties each to this signing encoding,
/// so a changed encoding in a later version cannot collide with this one either. The committee tag does not name a
/// signed message: it names the digest of a committee proof that every attestation binds.
/// </summary>
public static class SigningDomains
{
    public const string InvitationTag = "jmzk/sequencer/invitation/v1";
    public const string InvitationReplyTag = "jmzk/sequencer/invitation-reply/v1";
    public const string ProposalTag = "jmzk/sequencer/proposal/v1";
    public const string VoteTag = "jmzk/sequencer/vote/v1";
    public const string AttestationTag = "jmzk/sequencer/attestation/v1";
    public const string CommitteeTag = "jmzk/sequencer/committee/v1";

    internal static readonly TaggedHash Invitation = new(InvitationTag);
    internal static readonly TaggedHash InvitationReply = new(InvitationReplyTag);
    internal static readonly TaggedHash Proposal = new(ProposalTag);
    internal static readonly TaggedHash Vote = new(VoteTag);
    internal static readonly TaggedHash Attestation = new(AttestationTag);
    internal static readonly TaggedHash Committee = new(CommitteeTag);
}
