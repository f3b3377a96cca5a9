using Sequencer.Core.Ports;

namespace Sequencer.Simulation.Tests.Fakes;

/// <summary>A topic validator with one answer for everything, counting what it saw.</summary>
internal sealed class FixedVerdict(TopicVerdict verdict) : ITopicValidator
{
    public static readonly FixedVerdict AcceptAll = new(TopicVerdict.Accept);

    public List<int> Senders { get; } = [];

    public TopicVerdict Validate(int fromValidator, ReadOnlySpan<byte> payload)
    {
        Senders.Add(fromValidator);
        return verdict;
    }
}
