namespace Sequencer.Net.PubSub.Wire;

/// <summary>Where a field lies in the RPC it was decoded from: decoded entries keep offsets, never copies.</summary>
internal readonly record struct ByteRange(int Start, int Length)
{
    public int End => Start + Length;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> source) => source.Slice(Start, Length);

    public ReadOnlyMemory<byte> Of(ReadOnlyMemory<byte> source) => source.Slice(Start, Length);
}
