namespace Sequencer.Host.Cluster;

/// <summary>
/// One line a node wrote on stdout under <c>--control stdio</c> (NODE.md §2), parsed by <see cref="ControlProtocol"/>.
/// The records below are the protocol's events, one per <c>"event"</c> name; hex values are kept as the node wrote
/// them, lower-cased, because the cluster only compares them.
/// </summary>
internal abstract record ControlEvent;

/// <summary><c>ready</c>: the node listens and serves.</summary>
internal sealed record ReadyEvent(int Index, string PeerId, IReadOnlyList<string> Addresses, int MetricsPort, int ProcessId) : ControlEvent;

/// <summary><c>peers</c>: how many other validators the node is connected to, whenever that changes.</summary>
internal sealed record PeersEvent(int Connected) : ControlEvent;

/// <summary><c>committee</c>: the node, as sequencer, drew a round's committee (before inviting it).</summary>
internal sealed record CommitteeEvent(ulong Height, string Block, IReadOnlyList<int> Main, IReadOnlyList<int> Backups) : ControlEvent;

/// <summary><c>outcome</c>: a round the node started ended. <see cref="Signers"/> only with a certificate.</summary>
internal sealed record OutcomeEvent(ulong Height, string Block, RoundOutcomeKind Outcome, double LatencyMs, int? Signers, string? Diagnosis) : ControlEvent;

/// <summary><c>certificate</c>: a verified certificate reached the node's decision log.</summary>
internal sealed record CertificateEvent(ulong Height, string Block, string Value) : ControlEvent;

/// <summary><c>signed</c> (with <c>--trace-signed</c>): a vote or attestation the node produced or verified.</summary>
internal sealed record SignedEvent(string Kind, int Signer, ulong Height, string Block, string Value, string Digest) : ControlEvent;

/// <summary><c>decision</c>: the answer to a <c>decision</c> command.</summary>
internal sealed record DecisionEvent(ulong Height, NodeDecision State, string? Block) : ControlEvent;

/// <summary><c>error</c>: a command the node could not carry out.</summary>
internal sealed record ErrorEvent(string Message) : ControlEvent;

/// <summary><c>stopped</c>: the last line of a clean exit.</summary>
internal sealed record StoppedEvent(string Reason) : ControlEvent;

/// <summary>An event this build does not know: kept (not an error) so a newer node still works with this cluster.</summary>
internal sealed record UnknownEvent(string Name) : ControlEvent;
