namespace Sequencer.Net.PubSub.Wire;

/// <summary>
/// The fields of one pubsub Message as slices of the buffer it was decoded from (or that the publisher is about to
/// encode); <see cref="Present"/> says which ones the wire carried.
/// </summary>
public readonly ref struct MessageFields
{
    public MessageFieldFlags Present { get; init; }
    public ReadOnlySpan<byte> From { get; init; }
    public ReadOnlySpan<byte> Data { get; init; }
    public ReadOnlySpan<byte> Seqno { get; init; }
    public ReadOnlySpan<byte> Topic { get; init; }
    public ReadOnlySpan<byte> Signature { get; init; }
    public ReadOnlySpan<byte> Key { get; init; }

    public bool Has(MessageFieldFlags field) => (Present & field) == field;

    /// <summary>The same message without signature and key: what StrictSign signs.</summary>
    public MessageFields WithoutAuthentication() => this with
    {
        Present = Present & ~(MessageFieldFlags.Signature | MessageFieldFlags.Key),
        Signature = default,
        Key = default,
    };
}
