using System.Globalization;
using System.Text;

namespace Sequencer.Host.Configuration;

/// <summary>
/// Durations as operators write them (Go's notation, without fractions): one or more whole-number components with a
/// unit, largest first: <c>"20s"</c>, <c>"1m30s"</c>, <c>"500ms"</c>, <c>"2h"</c>, <c>"0s"</c>.
/// </summary>
internal static class Duration
{
    private static readonly (string Unit, TimeSpan Length)[] s_units =
    [
        ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)),
        ("s", TimeSpan.FromSeconds(1)),
        ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        var rest = text.AsSpan();
        if (rest.IsEmpty)
            return false;
        var nextUnit = 0;
        while (!rest.IsEmpty)
        {
            var digits = 0;
            while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
                digits++;
            if (digits is 0 or > 9)
                return false;
            var amount = long.Parse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture);
            rest = rest[digits..];
            var letters = 0;
            while (letters < rest.Length && char.IsAsciiLetterLower(rest[letters]))
                letters++;
            var unit = rest[..letters];
            rest = rest[letters..];
            var found = -1;
            for (var index = nextUnit; index < s_units.Length; index++)
            {
                if (unit.SequenceEqual(s_units[index].Unit))
                {
                    found = index;
                    break;
                }
            }
            if (found < 0)
                return false;
            nextUnit = found + 1;
            duration += s_units[found].Length * amount;
        }
        return true;
    }

    /// <summary>The shortest text <see cref="TryParse"/> reads back as <paramref name="duration"/> (whole milliseconds).</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero || duration.Ticks % TimeSpan.TicksPerMillisecond != 0)
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "only non-negative whole milliseconds have a text form");
        if (duration == TimeSpan.Zero)
            return "0s";
        var text = new StringBuilder();
        var rest = duration;
        foreach (var (unit, length) in s_units)
        {
            var amount = rest.Ticks / length.Ticks;
            if (amount == 0)
                continue;
            text.Append(amount.ToString(CultureInfo.InvariantCulture)).Append(unit);
            rest -= length * amount;
        }
        return text.ToString();
    }
}
