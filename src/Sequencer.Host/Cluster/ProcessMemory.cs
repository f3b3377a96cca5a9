using System.Globalization;

namespace Sequencer.Host.Cluster;

/// <summary>
/// A process's memory as Linux reports it in <c>/proc/&lt;pid&gt;/status</c>: the resident set now (<c>VmRSS</c>) and
/// its peak (<c>VmHWM</c>), in bytes. Read just before a node is stopped, so the figures are those of a node that has
/// run every round.
/// </summary>
internal readonly record struct ProcessMemory(long ResidentBytes, long PeakResidentBytes)
{
    /// <summary>Reads the figures of process <paramref name="pid"/>; false when it has gone or the system has no /proc.</summary>
    public static bool TryRead(int pid, out ProcessMemory memory) =>
        TryReadStatus(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/status"), out memory);

    /// <summary>This process's own figures (the cluster with its in-process voters).</summary>
    public static bool TryReadSelf(out ProcessMemory memory) => TryReadStatus("/proc/self/status", out memory);

    private static bool TryReadStatus(string path, out ProcessMemory memory)
    {
        memory = default;
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            return false;
        }
        long? resident = null, peak = null;
        foreach (var line in lines)
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                resident = Kilobytes(line);
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                peak = Kilobytes(line);
        }
        if (resident is null || peak is null)
            return false;
        memory = new ProcessMemory(resident.Value * 1024, peak.Value * 1024);
        return true;
    }

    /// <summary>The number of a line such as <c>VmRSS:	   12345 kB</c>.</summary>
    private static long? Kilobytes(string line)
    {
        var value = line.AsSpan(line.IndexOf(':') + 1).Trim();
        var space = value.IndexOf(' ');
        if (space > 0)
            value = value[..space];
        return long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var kilobytes) ? kilobytes : null;
    }
}
