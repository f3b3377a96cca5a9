using Sequencer.Core.Wire;

namespace Sequencer.Core.Committee;

/// <summary>
/// The buddy's own judgement of a verified invitation: <see cref="DeclineReason.None"/> to accept, or the reason to
/// decline (overloaded, shutting down, missing the parent block or the directory epoch). Called only after the
/// invitation has fully verified, so its answer is only ever signed for a genuine invitation.
/// </summary>
public delegate DeclineReason InvitationLoadCheck(in Invitation invitation);
