namespace Sequencer.Net.Yamux;

/// <summary>The reason carried by a GoAway frame.</summary>
public enum YamuxGoAwayCode : uint
{
    Normal = 0,
    ProtocolError = 1,
    InternalError = 2,
}
