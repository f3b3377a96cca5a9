namespace Sequencer.Fuzz.Tests;

/// <summary>
/// AFL-style mutations from a seeded <see cref="Random"/>: bit flips, boundary bytes, truncation, insertion, deletion,
/// duplication and splicing, so every run of the tests replays the same inputs.
/// </summary>
internal sealed class InputMutator(int seed)
{
    private static readonly byte[] s_boundaryBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF];
    private readonly Random _random = new(seed);

    public byte[] RandomInput(int maxLength)
    {
        var input = new byte[_random.Next(maxLength + 1)];
        _random.NextBytes(input);
        return input;
    }

    /// <summary>One to four mutations of <paramref name="parent"/>, sometimes spliced with <paramref name="other"/>.</summary>
    public byte[] Mutate(byte[] parent, byte[] other)
    {
        var input = new List<byte>(parent);
        var count = _random.Next(1, 5);
        for (var i = 0; i < count; i++)
        {
            switch (_random.Next(7))
            {
                case 0 when input.Count > 0:
                    input[_random.Next(input.Count)] ^= (byte)(1 << _random.Next(8));
                    break;
                case 1 when input.Count > 0:
                    input[_random.Next(input.Count)] = s_boundaryBytes[_random.Next(s_boundaryBytes.Length)];
                    break;
                case 2 when input.Count > 0:
                    var kept = _random.Next(input.Count);
                    input.RemoveRange(kept, input.Count - kept);
                    break;
                case 3:
                    var inserted = new byte[_random.Next(1, 9)];
                    _random.NextBytes(inserted);
                    input.InsertRange(_random.Next(input.Count + 1), inserted);
                    break;
                case 4 when input.Count > 0:
                    var start = _random.Next(input.Count);
                    input.RemoveRange(start, _random.Next(1, input.Count - start + 1));
                    break;
                case 5 when input.Count > 0:
                    var from = _random.Next(input.Count);
                    var length = _random.Next(1, input.Count - from + 1);
                    input.InsertRange(_random.Next(input.Count + 1), input.GetRange(from, length));
                    break;
                case 6 when other.Length > 0:
                    var cut = _random.Next(input.Count + 1);
                    input.RemoveRange(cut, input.Count - cut);
                    input.AddRange(other.AsSpan(_random.Next(other.Length)));
                    break;
            }
        }
        return [.. input];
    }
}
