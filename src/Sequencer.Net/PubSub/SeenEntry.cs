namespace Sequencer.Net.PubSub;

/// <summary>A seen message: its status and when that status was set.</summary>
internal readonly record struct SeenEntry(DeliveryStatus Status, long Since);
