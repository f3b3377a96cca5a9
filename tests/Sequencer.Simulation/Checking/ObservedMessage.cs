namespace Sequencer.Simulation.Checking;

/// <summary>
/// A decoded message of type <typeparamref name="T"/> with who first sent it, when, and during which event (the
/// scheduler's executed-event count, which orders it exactly against deliveries).
/// </summary>
public readonly record struct ObservedMessage<T>(T Message, int FromHost, int FromIncarnation, TimeSpan Time, long Event);
