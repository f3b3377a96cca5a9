using System.Runtime.CompilerServices;

namespace Sequencer.Core.Wire;

/// <summary>Inline storage for a committee proof's declines (at most <see cref="WireLimits.MaxDeclines"/>).</summary>
[InlineArray(WireLimits.MaxDeclines)]
public struct SignedDeclineList
{
    private SignedDecline _element0;
}
