using System.Runtime.CompilerServices;

namespace Sequencer.Net.PubSub;

/// <summary>
/// A list that keeps its array between uses: <see cref="Clear"/> only resets the count, so a decoder or builder that
/// is reused for every RPC stops allocating once its arrays have grown to the largest RPC seen. Items are read and
/// updated by reference.
/// </summary>
internal sealed class ReusableList<T>
{
    private T[] _items;

    public ReusableList(int capacity = 4) => _items = new T[capacity];

    public int Count { get; private set; }

    public ref T this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"index outside the {Count} items");
            return ref _items[index];
        }
    }

    public Span<T> AsSpan() => _items.AsSpan(0, Count);

    public void Add(T item)
    {
        if (Count == _items.Length)
            Array.Resize(ref _items, _items.Length * 2);
        _items[Count++] = item;
    }

    /// <summary>Forgets the items; references are cleared so the list does not keep garbage alive.</summary>
    public void Clear()
    {
        if (RuntimeHelpers.IsReferenceOrContainsReferences<T>())
            Array.Clear(_items, 0, Count);
        Count = 0;
    }
}
