namespace Sequencer.Interop.Tests.Harness;

/// <summary>The checkout the tests run from: the directory above the test binaries that holds Sequencer.sln.</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> s_path = new(Locate);

    public static string Path => s_path.Value;

    private static string Locate()
    {
        var directory = AppContext.BaseDirectory;
        while (!File.Exists(System.IO.Path.Combine(directory, "Sequencer.sln")))
            directory = System.IO.Path.GetDirectoryName(directory) ?? throw new InvalidOperationException("Sequencer.sln not found above the test directory");
        return directory;
    }
}
