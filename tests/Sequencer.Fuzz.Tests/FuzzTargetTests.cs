namespace Sequencer.Fuzz.Tests;

/// <summary>
/// Every fuzz target, in-process and deterministic: its seed corpus and saved regressions, then random and mutated
/// inputs from a fixed seed. A failure names the target and prints the input in hex.
/// </summary>
public sealed class FuzzTargetTests
{
    private const int RandomInputs = 1_000;
    private const int MutatedInputs = 3_000;
    private const int Seed = 0x5EC0E4CE;

    // A decoder that loops forever on some input would hang the test run instead of failing it.
    private static readonly TimeSpan s_hangLimit = TimeSpan.FromMinutes(2);

    private static readonly string s_corpusRoot = Path.Combine(AppContext.BaseDirectory, "corpus");
    private static readonly string s_regressionsRoot = Path.Combine(AppContext.BaseDirectory, "regressions");

    public static TheoryData<string> TargetNames()
    {
        var names = new TheoryData<string>();
        foreach (var target in FuzzTargets.All)
            names.Add(target.Name);
        return names;
    }

    [Fact]
    public void Target_names_are_unique_and_found_by_name()
    {
        var names = new HashSet<string>();
        foreach (var target in FuzzTargets.All)
        {
            Assert.True(names.Add(target.Name), $"two targets are named {target.Name}");
            Assert.Same(target, FuzzTargets.Find(target.Name));
        }
        Assert.Null(FuzzTargets.Find("no-such-target"));
    }

    [Fact]
    public void Every_corpus_and_regression_folder_belongs_to_a_target()
    {
        foreach (var root in new[] { s_corpusRoot, s_regressionsRoot })
        {
            if (!Directory.Exists(root))
                continue;
            foreach (var directory in Directory.GetDirectories(root))
                Assert.NotNull(FuzzTargets.Find(Path.GetFileName(directory)));
        }
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public void Target_has_a_seed_corpus(string name)
    {
        var directory = Path.Combine(s_corpusRoot, name);
        Assert.True(Directory.Exists(directory) && Directory.GetFiles(directory).Length > 0,
            $"fuzz/corpus/{name}/ is missing or empty (Sequencer.Fuzz --write-seeds fuzz/corpus writes the seeds)");
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public async Task Seeds_corpus_and_regressions_keep_the_contract(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var inputs = new List<byte[]>(target.Seeds());
        inputs.AddRange(SavedInputs(name));
        Assert.NotEmpty(inputs);
        await Task.Run(() => RunAll(target, inputs)).WaitAsync(s_hangLimit);
    }

    [Theory]
    [MemberData(nameof(TargetNames))]
    public async Task Random_and_mutated_inputs_keep_the_contract(string name)
    {
        var target = FuzzTargets.Find(name)!;
        var parents = new List<byte[]>(target.Seeds());
        parents.AddRange(SavedInputs(name));
        var mutator = new InputMutator(Seed);
        var inputs = new List<byte[]>(RandomInputs + MutatedInputs);
        for (var i = 0; i < RandomInputs; i++)
            inputs.Add(mutator.RandomInput(maxLength: 96));
        for (var i = 0; i < MutatedInputs; i++)
            inputs.Add(mutator.Mutate(parents[i % parents.Count], parents[(i * 7 + 3) % parents.Count]));
        await Task.Run(() => RunAll(target, inputs)).WaitAsync(s_hangLimit);
    }

    private static void RunAll(IFuzzTarget target, List<byte[]> inputs)
    {
        foreach (var input in inputs)
        {
            try
            {
                target.Run(input);
            }
            catch (Exception exception)
            {
                Assert.Fail($"{target.Name} broke its contract on input {Convert.ToHexString(input)}: {exception}");
            }
        }
    }

    private static IEnumerable<byte[]> SavedInputs(string name)
    {
        foreach (var root in new[] { s_corpusRoot, s_regressionsRoot })
        {
            var directory = Path.Combine(root, name);
            if (!Directory.Exists(directory))
                continue;
            var files = Directory.GetFiles(directory);
            Array.Sort(files, StringComparer.Ordinal);
            foreach (var file in files)
                yield return File.ReadAllBytes(file);
        }
    }
}
