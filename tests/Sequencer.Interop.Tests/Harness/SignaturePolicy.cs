namespace Sequencer.Interop.Tests.Harness;

/// <summary>The GossipSub message signing policy a node runs with (<c>--sign strict|nosign</c>).</summary>
internal enum SignaturePolicy
{
    StrictSign,
    StrictNoSign,
}
