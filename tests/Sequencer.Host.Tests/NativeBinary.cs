using System.Diagnostics;

namespace Sequencer.Host.Tests;

/// <summary>
/// The published binary under test. `./build.sh test` publishes it before the tests run; when a test is run on its
/// own and the binary is missing, it is published once here (a minute or two).
/// </summary>
public sealed class NativeBinary
{
    private static readonly Lazy<NativeBinary> s_instance = new(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

    private NativeBinary(string path, string repositoryRoot)
    {
        Path = path;
        RepositoryRoot = repositoryRoot;
    }

    public static NativeBinary Instance => s_instance.Value;

    public string Path { get; }

    public string RepositoryRoot { get; }

    public ProcessResult Run(params string[] arguments) => ProcessResult.Run(Path, arguments);

    private static NativeBinary Locate()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(System.IO.Path.Combine(root, "Sequencer.sln")))
            root = System.IO.Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Sequencer.sln not found above the test directory");
        var binary = System.IO.Path.Combine(root, "artifacts", "sequencer");
        if (!File.Exists(binary))
        {
            var publish = ProcessResult.Run(System.IO.Path.Combine(root, "build.sh"), ["publish"], TimeSpan.FromMinutes(10));
            if (publish.ExitCode != 0 || !File.Exists(binary))
                throw new InvalidOperationException($"./build.sh publish failed ({publish.ExitCode}): {publish.StandardError}");
        }
        return new NativeBinary(binary, root);
    }
}
