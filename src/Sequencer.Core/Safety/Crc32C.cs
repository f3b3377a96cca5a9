using System.Buffers.Binary;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace Sequencer.Core.Safety;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of the durable files. System.IO.Hashing (the
/// only hashing package in the mirror) ships the IEEE CRC-32 but not this one; CRC-32C is what storage formats use
/// because CPUs compute it in hardware (SSE4.2 <c>crc32</c>, ARMv8 <c>crc32c</c>), and it detects every burst error
/// of up to 32 bits — a torn or bit-rotted record — which is all a frame checksum is asked to do. It is not a MAC:
/// whoever can write the files can forge it, which is why the files are mode 0600.
/// </summary>
internal static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    private static readonly uint[] s_table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final XOR 0xFFFFFFFF, as in RFC 3720).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(uint.MaxValue, data);

    /// <summary>Continues a checksum: <c>Append(Compute(a), b) == Compute(a ‖ b)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) => ~Update(~crc, data);

    /// <summary>The table-driven path alone, so tests can check the hardware paths against it.</summary>
    internal static uint ComputeSoftware(ReadOnlySpan<byte> data) => ~UpdateSoftware(uint.MaxValue, data);

    private static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            while (data.Length >= 8)
            {
                state = (uint)Sse42.X64.Crc32(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            foreach (var b in data)
                state = Sse42.Crc32(state, b);
            return state;
        }
        if (Crc32.Arm64.IsSupported)
        {
            while (data.Length >= 8)
            {
                state = Crc32.Arm64.ComputeCrc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
            foreach (var b in data)
                state = Crc32.ComputeCrc32C(state, b);
            return state;
        }
        return UpdateSoftware(state, data);
    }

    private static uint UpdateSoftware(uint state, ReadOnlySpan<byte> data)
    {
        var table = s_table;
        foreach (var b in data)
            state = table[(byte)(state ^ b)] ^ (state >> 8);
        return state;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var entry = i;
            for (var bit = 0; bit < 8; bit++)
                entry = (entry & 1) != 0 ? (entry >> 1) ^ ReflectedPolynomial : entry >> 1;
            table[i] = entry;
        }
        return table;
    }
}
