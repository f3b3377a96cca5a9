using Sequencer.Core.Ports;

namespace Sequencer.Core.Validators;

/// <summary>
/// The directory read from a <see cref="DirectoryFile"/>. <see cref="Reload"/> swaps in a new version atomically; a file
/// that fails to parse leaves the current directory in place, so a bad edit never takes a running node's directory away.
/// </summary>
public sealed class FileValidatorDirectorySource : IValidatorDirectorySource
{
    private volatile ValidatorDirectory _current;

    /// <exception cref="DirectoryFormatException">The file breaks the format or a directory rule.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public FileValidatorDirectorySource(string path)
    {
        Path = path;
        _current = DirectoryFile.Read(path);
    }

    public string Path { get; }

    public ValidatorDirectory Current => _current;

    /// <summary>Reads the file again; true when its hash differs from the directory it replaces.</summary>
    /// <exception cref="DirectoryFormatException">The file breaks the format or a rule; the current directory stays.</exception>
    /// <exception cref="IOException">The file cannot be read; the current directory stays.</exception>
    public bool Reload()
    {
        var next = DirectoryFile.Read(Path);
        var changed = next.Hash != _current.Hash;
        _current = next;
        return changed;
    }
}
