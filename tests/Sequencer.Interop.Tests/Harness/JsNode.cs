namespace Sequencer.Interop.Tests.Harness;

/// <summary>
/// The js-libp2p reference node, interop/js/node.mjs. Its package set is installed from the committed lock by
/// interop/install-js.sh (which `./build.sh test` runs first; here it runs once more, a no-op when the installed tree
/// matches the lock). Without Node.js 20+ and npm every test that needs the node fails, saying what to install.
/// </summary>
internal static class JsNode
{
    private static readonly Lazy<string> s_script = new(Install, LazyThreadSafetyMode.ExecutionAndPublication);

    public static IEnumerable<string> Arguments(bool muxerInNoise, int? pingEverySeconds)
    {
        yield return "--muxer-in-noise";
        yield return muxerInNoise ? "on" : "off";
        if (pingEverySeconds is { } seconds)
        {
            yield return "--ping-every";
            yield return seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The program to start (node) and its script argument.</summary>
    public static (string FileName, string Script) Command => ("node", s_script.Value);

    private static string Install()
    {
        var install = Path.Combine(RepositoryRoot.Path, "interop", "install-js.sh");
        ProcessResult result;
        try
        {
            result = ProcessResult.Run(install, [], TimeSpan.FromMinutes(5));
        }
        catch (Exception exception) when (exception is System.ComponentModel.Win32Exception or TimeoutException)
        {
            throw new InteropException($"{install} could not run: {exception.Message}");
        }
        if (result.ExitCode != 0)
            throw new InteropException($"the js-libp2p interop node is not installed ({install} exited {result.ExitCode}):\n{result.StandardError}");
        return Path.Combine(RepositoryRoot.Path, "interop", "js", "node.mjs");
    }
}
