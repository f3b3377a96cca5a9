using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Sequencer.Benchmarks.Binary;

/// <summary>
/// How long the native binary (<c>artifacts/sequencer</c>, from <c>./build.sh publish</c>) takes to start, against
/// starting <c>/bin/true</c> in the same run: the ratio is what Native AOT start-up costs beyond creating a process.
/// <list type="bullet">
/// <item><c>version</c>: start, print one JSON line, exit — the runtime's own start-up.</item>
/// <item><c>start → ready</c>: a one-validator node from <c>init</c> loads its keys and directory, opens its stores,
/// listens (libp2p and metrics on free ports), prints <c>ready</c>; then its stdin closes and it stops cleanly. This
/// is what an operator waits for after a restart.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 3, iterationCount: 20)]
public class StartupBenchmarks
{
    private string _binary = "";
    private string _networkDirectory = "";

    [GlobalSetup]
    public void Setup()
    {
        _binary = LocateBinary();
        _networkDirectory = Directory.CreateTempSubdirectory("sequencer-startup-").FullName;
        var init = Run(_binary, ["init", "--dir", _networkDirectory], redirectInput: false);
        init.WaitForExit();
        if (init.ExitCode != 0)
            throw new InvalidOperationException($"sequencer init failed ({init.ExitCode}): {init.StandardError.ReadToEnd()}");
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_networkDirectory, recursive: true);

    [Benchmark(Baseline = true, Description = "/bin/true")]
    public int True()
    {
        using var process = Run("/bin/true", [], redirectInput: false);
        process.WaitForExit();
        return process.ExitCode;
    }

    [Benchmark(Description = "sequencer version")]
    public int Version()
    {
        using var process = Run(_binary, ["version"], redirectInput: false);
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    [Benchmark(Description = "sequencer start → ready, then stop")]
    public int StartUntilReady()
    {
        using var process = Run(_binary,
            ["start", "--config", Path.Combine(_networkDirectory, "node.toml"), "--control", "stdio",
             "--set", "listen=/ip4/127.0.0.1/tcp/0", "--set", "metrics.port=0", "--set", "log.level=error"],
            redirectInput: true);
        var first = process.StandardOutput.ReadLine();
        if (first is null || !first.StartsWith("{\"event\":\"ready\"", StringComparison.Ordinal))
            throw new InvalidOperationException($"expected the ready line, got '{first}': {process.StandardError.ReadToEnd()}");
        process.StandardInput.Close();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }

    private static Process Run(string file, string[] arguments, bool redirectInput)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
    }

    private static string LocateBinary()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(directory, "Sequencer.sln")))
            directory = Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Sequencer.sln not found above the benchmark directory");
        var binary = Path.Combine(directory, "artifacts", "sequencer");
        return File.Exists(binary) ? binary : throw new InvalidOperationException($"{binary} is missing: run ./build.sh publish first");
    }
}
