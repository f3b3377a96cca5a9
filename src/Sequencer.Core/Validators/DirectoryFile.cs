using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sequencer.Core.Validators;

/// <summary>
/// The validator directory as a file: JSON with <c>//</c> and <c>/* */</c> comments, UTF-8 (a BOM is allowed).
/// <code>
/// {
///   "version": 1,                 // this format; nothing else is accepted
///   "chainId": 7,                 // u64: the chain the directory serves (part of every VRF input)
///   "epoch": 0,                   // u64: which validator set of that chain this is
///   "validators": [               // index = position in this array (0, 1, …)
///     {
///       "peerId": "16Uiu2HAm…",   // libp2p peer id of the node key (base58btc, or base32 CIDv1)
///       "publicKey": "02…",       // validator key: 33-byte compressed secp256k1, 66 hex digits
///       "weight": 100,            // u64 &gt; 0; all weights together at most 2^63
///       "region": "eu-west",      // 1 … 64 UTF-8 bytes
///       "addresses": ["/ip4/10.0.0.1/tcp/4001"],  // 0 … 16 listen multiaddrs, text form
///       "buddy": false            // optional, default true; false: votes but is never drawn into a committee
///     }
///   ]
/// }
/// </code>
/// Every property but <c>buddy</c> is required and no other is allowed: an unknown key is an error, not ignored, because a misspelt
/// key silently falling back to nothing would give this node a different directory hash from its peers. Numbers are
/// plain JSON integers (no quotes, fraction or exponent); <c>buddy</c> is a JSON boolean. The directory hash binds
/// <c>buddy</c> (see <see cref="ValidatorDirectory"/>), so every node must read the same value. A refused file raises a
/// <see cref="DirectoryFormatException"/> naming the rule, the JSON path and the line and column.
/// </summary>
public static class DirectoryFile
{
    public const int FormatVersion = 1;

    /// <summary>Far above the largest directory (65,536 validators with 16 long addresses each would be bigger, but no real one is).</summary>
    public const int MaxFileSize = 64 << 20;

    /// <summary>Reads and checks the directory file at <paramref name="path"/>.</summary>
    /// <exception cref="DirectoryFormatException">The file breaks the format or a directory rule.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ValidatorDirectory Read(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        if (file.Length > MaxFileSize)
            throw new DirectoryFormatException(DirectoryError.FileTooLarge,
                $"the file is {file.Length} bytes, at most {MaxFileSize}", path, "$", 1, 1);
        var content = new byte[file.Length];
        file.ReadExactly(content);
        return Parse(content, path);
    }

    /// <summary>Checks a directory held in memory; <paramref name="sourceName"/> labels error locations.</summary>
    /// <exception cref="DirectoryFormatException">The content breaks the format or a directory rule.</exception>
    public static ValidatorDirectory Parse(ReadOnlySpan<byte> utf8, string sourceName = "directory")
    {
        if (utf8.Length > MaxFileSize)
            throw new DirectoryFormatException(DirectoryError.FileTooLarge,
                $"the content is {utf8.Length} bytes, at most {MaxFileSize}", sourceName, "$", 1, 1);
        return DirectoryFileParser.Parse(utf8, sourceName);
    }

    /// <summary>
    /// Writes <paramref name="directory"/> in this format, indented, with a comment naming each validator's index, so
    /// that generated local networks get files an operator can read and edit. <see cref="Parse"/> of the output gives
    /// a directory with the same hash.
    /// </summary>
    public static void Write(ValidatorDirectory directory, IBufferWriter<byte> output)
    {
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        using var json = new Utf8JsonWriter(output, options);
        json.WriteCommentValue($" JMZK sequencer validator directory: chain {directory.ChainId}, epoch {directory.Epoch}, hash {directory.Hash} ");
        json.WriteStartObject();
        json.WriteNumber("version", FormatVersion);
        json.WriteNumber("chainId", directory.ChainId);
        json.WriteNumber("epoch", directory.Epoch);
        json.WriteStartArray("validators");
        foreach (var validator in directory.Validators)
        {
            json.WriteCommentValue($" index {validator.Index} ");
            json.WriteStartObject();
            json.WriteString("peerId", validator.PeerId.ToString());
            json.WriteString("publicKey", Convert.ToHexStringLower(validator.PublicKey.Compressed));
            json.WriteNumber("weight", validator.Weight);
            json.WriteString("region", validator.Region);
            json.WriteStartArray("addresses");
            foreach (var address in validator.Addresses)
                json.WriteStringValue(address);
            json.WriteEndArray();
            // Written only when it differs from the default, so files of networks without voter-only validators read
            // as they always did.
            if (!validator.IsBuddyEligible)
                json.WriteBoolean("buddy", false);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        output.Write("\n"u8);
    }

    /// <summary>
    /// Writes the file at <paramref name="path"/> through a temporary file and a rename, so a reader never sees half a
    /// directory.
    /// </summary>
    public static void Save(ValidatorDirectory directory, string path)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Write(directory, buffer);
        var temporary = path + ".tmp";
        File.WriteAllBytes(temporary, buffer.WrittenSpan);
        File.Move(temporary, path, overwrite: true);
    }
}
