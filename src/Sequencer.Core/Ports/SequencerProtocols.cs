namespace Sequencer.Core.Ports;

/// <summary>The versioned libp2p protocol ids of <see cref="SequencerProtocol"/> (DESIGN §4: <c>/jmzk/sequencer/&lt;name&gt;/1.0.0</c>).</summary>
public static class SequencerProtocols
{
    public const string Invitation = "/jmzk/sequencer/invitation/1.0.0";
    public const string Vote = "/jmzk/sequencer/vote/1.0.0";
    public const string Sync = "/jmzk/sequencer/sync/1.0.0";

    public static string GetId(SequencerProtocol protocol) => protocol switch
    {
        SequencerProtocol.Invitation => Invitation,
        SequencerProtocol.Vote => Vote,
        SequencerProtocol.Sync => Sync,
        _ => throw new ArgumentOutOfRangeException(nameof(protocol), protocol, "not a sequencer protocol"),
    };

    public static bool TryParse(string id, out SequencerProtocol protocol)
    {
        protocol = id switch
        {
            Invitation => SequencerProtocol.Invitation,
            Vote => SequencerProtocol.Vote,
            Sync => SequencerProtocol.Sync,
            _ => 0,
        };
        return protocol != 0;
    }
}
