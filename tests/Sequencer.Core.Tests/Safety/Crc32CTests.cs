using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Sequencer.Core.Safety;

namespace Sequencer.Core.Tests.Safety;

public sealed class Crc32CTests
{
    public static TheoryData<string, string> Vectors()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Data", "Safety", "crc32c-vectors.txt")))
        {
            if (line.StartsWith('#') || line.Length == 0)
                continue;
            var fields = line.Split(' ');
            data.Add(fields[0], fields[1]);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void PublishedVectors(string inputHex, string expectedHex)
    {
        var input = Convert.FromHexString(inputHex);
        var expected = uint.Parse(expectedHex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        Assert.Equal(expected, Crc32C.Compute(input));
        Assert.Equal(expected, Crc32C.ComputeSoftware(input));
    }

    [Fact]
    public void TheVectorFileIsNotEmpty() => Assert.Equal(5, Vectors().Count);

    [Property]
    public Property HardwareAndTablePathsAgreeAndAppendingComposes()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).ToArbitrary();
        return Prop.ForAll(bytes, bytes, (left, right) =>
        {
            var whole = left.Concat(right).ToArray();
            return Crc32C.Compute(whole) == Crc32C.ComputeSoftware(whole)
                && Crc32C.Append(Crc32C.Compute(left), right) == Crc32C.Compute(whole);
        });
    }
}
