namespace Sequencer.Simulation.Network;

/// <summary>Counters of what the network did with the messages it was given.</summary>
public sealed class NetworkStatistics
{
    public long RequestsSent { get; internal set; }
    public long ResponsesSent { get; internal set; }
    public long Published { get; internal set; }
    public long Delivered { get; internal set; }
    public long Dropped { get; internal set; }
    public long CutByPartition { get; internal set; }
    public long Duplicated { get; internal set; }
    public long Reordered { get; internal set; }
    public long TimedOut { get; internal set; }
    public long Unreachable { get; internal set; }
    public long TopicAccepted { get; internal set; }
    public long TopicRejected { get; internal set; }
    public long TopicIgnored { get; internal set; }

    public override string ToString() =>
        $"requests {RequestsSent}, responses {ResponsesSent}, published {Published}, delivered {Delivered}, "
        + $"dropped {Dropped}, cut {CutByPartition}, duplicated {Duplicated}, reordered {Reordered}, timed out {TimedOut}, "
        + $"unreachable {Unreachable}, topic accepted/rejected/ignored {TopicAccepted}/{TopicRejected}/{TopicIgnored}";
}
