using System.Runtime.Versioning;
using Sequencer.Core.Identity;

namespace Sequencer.Core.Tests.Identity;

// Key files are protected by Unix modes; the node runs on Linux only.
[UnsupportedOSPlatform("windows")]
public sealed class KeyFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("sequencer-keyfile-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(KeyType.Ed25519)]
    [InlineData(KeyType.Secp256k1)]
    public void WritesOwnerOnlyAndReadsBack(KeyType type)
    {
        var path = Path.Combine(_directory, "node.key");
        using var key = PeerPrivateKey.Generate(type);
        KeyFile.Write(path, key);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        Assert.Equal(key.ToProtobuf(), File.ReadAllBytes(path));
        using var read = KeyFile.Read(path);
        Assert.Equal(key.PublicKey, read.PublicKey);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Theory]
    [InlineData(UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.GroupWrite, "0620")]
    [InlineData(UnixFileMode.OtherRead, "0604")]
    [InlineData(UnixFileMode.OtherWrite, "0602")]
    public void RefusesAFileGroupOrOthersCanAccess(UnixFileMode extra, string octal)
    {
        var path = Path.Combine(_directory, "node.key");
        using var key = PeerPrivateKey.Generate(KeyType.Ed25519);
        KeyFile.Write(path, key);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | extra);

        var error = Assert.Throws<KeyFileException>(() => KeyFile.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains(octal, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadOnlyForTheOwnerIsAccepted()
    {
        var path = Path.Combine(_directory, "node.key");
        using var key = PeerPrivateKey.Generate(KeyType.Ed25519);
        KeyFile.Write(path, key);
        File.SetUnixFileMode(path, UnixFileMode.UserRead);
        using var read = KeyFile.Read(path);
        Assert.Equal(key.PublicKey, read.PublicKey);
    }

    [Fact]
    public void RefusesToOverwriteUnlessAsked()
    {
        var path = Path.Combine(_directory, "node.key");
        using var first = PeerPrivateKey.Generate(KeyType.Ed25519);
        using var second = PeerPrivateKey.Generate(KeyType.Ed25519);
        KeyFile.Write(path, first);

        var error = Assert.Throws<KeyFileException>(() => KeyFile.Write(path, second));
        Assert.Contains("already exists", error.Message, StringComparison.Ordinal);
        using (var read = KeyFile.Read(path))
            Assert.Equal(first.PublicKey, read.PublicKey);

        KeyFile.Write(path, second, overwrite: true);
        using (var read = KeyFile.Read(path))
            Assert.Equal(second.PublicKey, read.PublicKey);
        Assert.Single(Directory.GetFiles(_directory));
    }

    [Fact]
    public void RefusesContentThatIsNotAKey()
    {
        var path = Path.Combine(_directory, "garbage.key");
        File.WriteAllBytes(path, [0x08, 0x01, 0x12, 0x40, 1, 2, 3]);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var error = Assert.Throws<KeyFileException>(() => KeyFile.Read(path));
        Assert.Contains(IdentityError.Truncated.Describe(), error.Message, StringComparison.Ordinal);

        File.WriteAllBytes(path, new byte[5000]);
        Assert.Throws<KeyFileException>(() => KeyFile.Read(path));
    }

    [Fact]
    public void WritingIntoAMissingDirectoryIsAKeyFileException()
    {
        var path = Path.Combine(_directory, "absent", "node.key");
        using var key = PeerPrivateKey.Generate(KeyType.Ed25519);
        var error = Assert.Throws<KeyFileException>(() => KeyFile.Write(path, key));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFileIsAKeyFileException()
    {
        var path = Path.Combine(_directory, "absent.key");
        var error = Assert.Throws<KeyFileException>(() => KeyFile.Read(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
