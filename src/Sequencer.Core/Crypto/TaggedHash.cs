using System.Text;

namespace Sequencer.Core.Crypto;

/// <summary>
/// BIP340 tagged hash: <c>SHA256(SHA256(tag) ‖ SHA256(tag) ‖ msg)</c>. Every kind of signed message has its own tag,
/// so a signature over one kind can never be replayed as another. The 64-byte prefix is exactly one SHA-256 block,
/// so it is absorbed once here and each digest starts from that midstate.
/// </summary>
public sealed class TaggedHash
{
    private readonly Sha256Hasher _primed;

    public TaggedHash(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        Tag = tag;
        Span<byte> tagHash = stackalloc byte[Sha256.HashSize];
        Sha256.Hash(Encoding.UTF8.GetBytes(tag), tagHash);
        _primed = Sha256.Start();
        _primed.Append(tagHash);
        _primed.Append(tagHash);
    }

    public string Tag { get; }

    /// <summary>A hasher that has already absorbed the tag prefix: append the message, then finish.</summary>
    public Sha256Hasher Start() => _primed;

    /// <summary>The tagged hash of <paramref name="message"/> into the first 32 bytes of <paramref name="destination"/>.</summary>
    public void Compute(ReadOnlySpan<byte> message, Span<byte> destination)
    {
        var hasher = _primed;
        hasher.Append(message);
        hasher.Finish(destination);
    }
}
