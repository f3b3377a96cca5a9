using Sequencer.Fuzz;
using SharpFuzz;

// Sequencer.Fuzz --list                   the target names, one a line
// Sequencer.Fuzz <target>                 serve the target to afl-fuzz (input on stdin; run once without afl-fuzz)
// Sequencer.Fuzz <target> FILE…           replay files in-process and say which ones break the contract
// Sequencer.Fuzz --write-seeds DIR        write every target's seeds to DIR/<target>/seed-<n>

if (args is ["--list"])
{
    foreach (var target in FuzzTargets.All)
        Console.WriteLine(target.Name);
    return 0;
}
if (args is ["--write-seeds", var seedDirectory])
{
    foreach (var target in FuzzTargets.All)
    {
        var directory = Directory.CreateDirectory(Path.Combine(seedDirectory, target.Name));
        var index = 0;
        foreach (var seed in target.Seeds())
            File.WriteAllBytes(Path.Combine(directory.FullName, $"seed-{index++}"), seed);
    }
    return 0;
}
if (args.Length == 0 || FuzzTargets.Find(args[0]) is not { } selected)
{
    Console.Error.WriteLine("usage: Sequencer.Fuzz --list | <target> [FILE…] | --write-seeds DIR");
    Console.Error.WriteLine("targets: " + string.Join(' ', FuzzTargets.All.Select(t => t.Name)));
    return 2;
}
if (args.Length > 1)
    return Replay.Files(selected, args.AsSpan(1));

// One buffer for the process's life: afl-fuzz sends millions of inputs and only their bytes matter.
var input = new MemoryStream();
Fuzzer.OutOfProcess.Run(stream =>
{
    input.SetLength(0);
    stream.CopyTo(input);
    selected.Run(input.GetBuffer().AsSpan(0, (int)input.Length));
});
return 0;
