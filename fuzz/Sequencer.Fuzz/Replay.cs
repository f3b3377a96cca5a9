namespace Sequencer.Fuzz;

/// <summary>Runs saved inputs (afl-fuzz crashes, regressions) through a target in-process, for triage.</summary>
internal static class Replay
{
    public static int Files(IFuzzTarget target, ReadOnlySpan<string> paths)
    {
        var broken = 0;
        foreach (var path in paths)
        {
            try
            {
                target.Run(File.ReadAllBytes(path));
                Console.WriteLine($"ok {path}");
            }
            catch (Exception exception)
            {
                broken++;
                Console.WriteLine($"FAIL {path}: {exception}");
            }
        }
        return broken == 0 ? 0 : 1;
    }
}
