using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Identity;
using Sequencer.Core.Wire;

namespace Sequencer.Core.Validators;

/// <summary>
/// Reads the format <see cref="DirectoryFile"/> documents with <see cref="Utf8JsonReader"/> (no reflection, so it runs
/// under Native AOT), checking types and syntax as it goes and remembering where every value sits, so that a rule the
/// finished directory breaks (<see cref="ValidatorDirectory.TryCreate"/>, the one place those rules live) is still
/// reported at its line and column.
/// </summary>
internal ref struct DirectoryFileParser
{
    private static readonly JsonReaderOptions s_options = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = false,
        MaxDepth = 8,
    };

    private readonly ReadOnlySpan<byte> _input;
    private readonly int _contentStart;
    private readonly string _sourceName;
    private Utf8JsonReader _reader;
    private string _path = "$";

    private DirectoryFileParser(ReadOnlySpan<byte> input, string sourceName)
    {
        _input = input;
        _contentStart = input.StartsWith("\uFEFF"u8) ? 3 : 0;
        _sourceName = sourceName;
        _reader = new Utf8JsonReader(input[_contentStart..], s_options);
    }

    public static ValidatorDirectory Parse(ReadOnlySpan<byte> input, string sourceName)
    {
        var parser = new DirectoryFileParser(input, sourceName);
        return parser.ParseDocument();
    }

    private ValidatorDirectory ParseDocument()
    {
        try
        {
            return ParseRoot();
        }
        catch (JsonException error)
        {
            var line = (int)(error.LineNumber ?? 0);
            var column = (int)(error.BytePositionInLine ?? 0) + (line == 0 ? _contentStart : 0);
            throw new DirectoryFormatException(DirectoryError.Syntax, SyntaxDetail(error), _sourceName, _path, line + 1, column + 1);
        }
    }

    private ValidatorDirectory ParseRoot()
    {
        if (!_reader.Read())
            throw Fail(DirectoryError.Syntax, "the file holds no JSON value");
        ExpectToken(JsonTokenType.StartObject, "an object");
        var objectStart = _reader.TokenStartIndex;
        ulong? version = null, chainId = null, epoch = null;
        List<ValidatorSpec>? validators = null;
        List<ValidatorLocation>? locations = null;
        long validatorsStart = 0;
        while (ReadProperty(out var name))
        {
            var parent = _path;
            _path = $"$.{name}";
            switch (name)
            {
                case "version":
                    RefuseRepeat(version is not null, name);
                    version = ReadUInt64();
                    if (version != DirectoryFile.FormatVersion)
                        throw Fail(DirectoryError.UnsupportedVersion, $"version {version}; this build reads version {DirectoryFile.FormatVersion}");
                    break;
                case "chainId":
                    RefuseRepeat(chainId is not null, name);
                    chainId = ReadUInt64();
                    break;
                case "epoch":
                    RefuseRepeat(epoch is not null, name);
                    epoch = ReadUInt64();
                    break;
                case "validators":
                    RefuseRepeat(validators is not null, name);
                    validatorsStart = _reader.TokenStartIndex;
                    (validators, locations) = ReadValidators();
                    break;
                default:
                    throw Fail(DirectoryError.UnknownField, $"unknown property '{name}' (the format has version, chainId, epoch, validators)");
            }
            _path = parent;
        }
        while (_reader.Read())
        {
            // Utf8JsonReader refuses a second value itself; comments are skipped. Nothing else can follow the root.
        }
        RequireAll(objectStart, ("version", version is not null), ("chainId", chainId is not null),
            ("epoch", epoch is not null), ("validators", validators is not null));

        if (ValidatorDirectory.TryCreate(chainId!.Value, epoch!.Value, validators!, out var directory, out var violation))
            return directory;
        var (path, offset) = Locate(violation, locations!, validatorsStart);
        var (line, column) = LineAndColumn(offset);
        throw new DirectoryFormatException(violation.Error, violation.Detail, _sourceName, path, line, column);
    }

    private (List<ValidatorSpec>, List<ValidatorLocation>) ReadValidators()
    {
        Next();
        ExpectToken(JsonTokenType.StartArray, "an array of validators");
        var validators = new List<ValidatorSpec>();
        var locations = new List<ValidatorLocation>();
        var arrayPath = _path;
        while (Next() != JsonTokenType.EndArray)
        {
            _path = $"{arrayPath}[{validators.Count}]";
            if (validators.Count == WireLimits.MaxValidators)
                throw Fail(DirectoryError.TooManyValidators, $"more than {WireLimits.MaxValidators} validators");
            var location = new ValidatorLocation();
            validators.Add(ReadValidator(location));
            locations.Add(location);
        }
        _path = arrayPath;
        return (validators, locations);
    }

    private ValidatorSpec ReadValidator(ValidatorLocation location)
    {
        ExpectToken(JsonTokenType.StartObject, "a validator object");
        location.Start = _reader.TokenStartIndex;
        PeerId? peerId = null;
        string? region = null;
        Secp256k1PublicKey? publicKey = null;
        ulong? weight = null;
        List<string>? addresses = null;
        bool? buddy = null;
        var objectPath = _path;
        while (ReadProperty(out var name))
        {
            _path = $"{objectPath}.{name}";
            var offset = _reader.TokenStartIndex;
            switch (name)
            {
                case "peerId":
                    RefuseRepeat(peerId is not null, name);
                    location.PeerId = offset;
                    peerId = ReadPeerId();
                    break;
                case "publicKey":
                    RefuseRepeat(publicKey is not null, name);
                    location.PublicKey = offset;
                    publicKey = ReadPublicKey();
                    break;
                case "weight":
                    RefuseRepeat(weight is not null, name);
                    location.Weight = offset;
                    weight = ReadUInt64();
                    break;
                case "region":
                    RefuseRepeat(region is not null, name);
                    location.Region = offset;
                    region = ReadString();
                    break;
                case "addresses":
                    RefuseRepeat(addresses is not null, name);
                    location.Addresses = offset;
                    addresses = ReadAddresses(location);
                    break;
                case "buddy":
                    RefuseRepeat(buddy is not null, name);
                    buddy = ReadBoolean();
                    break;
                default:
                    throw Fail(DirectoryError.UnknownField,
                        $"unknown property '{name}' (a validator has peerId, publicKey, weight, region, addresses and optionally buddy)");
            }
            _path = objectPath;
        }
        RequireAll(location.Start, ("peerId", peerId is not null), ("publicKey", publicKey is not null),
            ("weight", weight is not null), ("region", region is not null), ("addresses", addresses is not null));
        return new ValidatorSpec(peerId!.Value, publicKey!, weight!.Value, region!, addresses!, IsBuddyEligible: buddy ?? true);
    }

    private List<string> ReadAddresses(ValidatorLocation location)
    {
        Next();
        ExpectToken(JsonTokenType.StartArray, "an array of multiaddr strings");
        var addresses = new List<string>();
        var arrayPath = _path;
        while (Next() != JsonTokenType.EndArray)
        {
            _path = $"{arrayPath}[{addresses.Count}]";
            location.AddressOffsets.Add(_reader.TokenStartIndex);
            ExpectToken(JsonTokenType.String, "a string");
            addresses.Add(GetString());
        }
        _path = arrayPath;
        return addresses;
    }

    private PeerId ReadPeerId()
    {
        if (!PeerId.TryParse(ReadString(), out var peerId))
            throw Fail(DirectoryError.InvalidPeerId, "not a libp2p peer id (base58btc multihash, or base32 CIDv1 with codec libp2p-key)");
        return peerId;
    }

    private Secp256k1PublicKey ReadPublicKey()
    {
        var text = ReadString();
        byte[] bytes;
        try
        {
            bytes = Convert.FromHexString(text);
        }
        catch (FormatException)
        {
            throw Fail(DirectoryError.InvalidHex, "not hexadecimal (two hex digits per byte, no 0x prefix)");
        }
        if (bytes.Length != Secp256k1PublicKey.CompressedSize)
            throw Fail(DirectoryError.InvalidPublicKey,
                $"a validator key is {Secp256k1PublicKey.CompressedSize} bytes (compressed), got {bytes.Length}");
        if (!Secp256k1PublicKey.TryParse(bytes, out var key))
            throw Fail(DirectoryError.InvalidPublicKey, "not a point on secp256k1");
        return key;
    }

    private string ReadString()
    {
        Next();
        ExpectToken(JsonTokenType.String, "a string");
        return GetString();
    }

    private bool ReadBoolean()
    {
        Next();
        if (_reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
            throw Fail(DirectoryError.WrongType, $"expected true or false, found {Describe(_reader.TokenType)}");
        return _reader.TokenType == JsonTokenType.True;
    }

    private ulong ReadUInt64()
    {
        Next();
        ExpectToken(JsonTokenType.Number, "an integer");
        if (!_reader.TryGetUInt64(out var value))
            throw Fail(DirectoryError.InvalidNumber,
                $"'{System.Text.Encoding.UTF8.GetString(_reader.ValueSpan)}' is not an integer in 0 … 2^64−1");
        return value;
    }

    /// <summary>The next property of the current object, or false at its end.</summary>
    private bool ReadProperty([NotNullWhen(true)] out string? name)
    {
        name = null;
        if (Next() == JsonTokenType.EndObject)
            return false;
        name = GetString();
        return true;
    }

    private readonly void RefuseRepeat(bool alreadySeen, string name)
    {
        if (alreadySeen)
            throw Fail(DirectoryError.DuplicateField, $"the property '{name}' appears twice");
    }

    private readonly string GetString()
    {
        try
        {
            return _reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw Fail(DirectoryError.Syntax, "the string is not valid UTF-8");
        }
    }

    private JsonTokenType Next()
    {
        if (!_reader.Read())
            throw Fail(DirectoryError.Syntax, "the file ends inside a value");
        return _reader.TokenType;
    }

    private void ExpectToken(JsonTokenType expected, string description)
    {
        if (_reader.TokenType != expected)
            throw Fail(DirectoryError.WrongType, $"expected {description}, found {Describe(_reader.TokenType)}");
    }

    /// <summary>Refuses an object that lacks one of the properties.</summary>
    private readonly void RequireAll(long objectStart, params ReadOnlySpan<(string Name, bool Present)> properties)
    {
        foreach (var (name, present) in properties)
        {
            if (!present)
                throw FailAt(DirectoryError.MissingField, $"the required property '{name}' is missing", _path, objectStart);
        }
    }

    private readonly DirectoryFormatException Fail(DirectoryError error, string detail) =>
        FailAt(error, detail, _path, _reader.TokenStartIndex);

    private readonly DirectoryFormatException FailAt(DirectoryError error, string detail, string path, long offset)
    {
        var (line, column) = LineAndColumn(offset);
        return new DirectoryFormatException(error, detail, _sourceName, path, line, column);
    }

    /// <summary>1-based line and byte column of an offset into the content after any BOM.</summary>
    private readonly (int Line, int Column) LineAndColumn(long offset)
    {
        var absolute = (int)offset + _contentStart;
        var before = _input[..Math.Min(absolute, _input.Length)];
        var lastNewline = before.LastIndexOf((byte)'\n');
        return (before.Count((byte)'\n') + 1, absolute - lastNewline);
    }

    private static (string Path, long Offset) Locate(in DirectoryViolation violation, List<ValidatorLocation> locations, long validatorsStart)
    {
        if (violation.Field == DirectoryField.Validators || (uint)violation.ValidatorIndex >= (uint)locations.Count)
            return ("$.validators", validatorsStart);
        var location = locations[violation.ValidatorIndex];
        var path = $"$.validators[{violation.ValidatorIndex}]";
        return violation.Field switch
        {
            DirectoryField.PeerId => (path + ".peerId", location.PeerId),
            DirectoryField.PublicKey => (path + ".publicKey", location.PublicKey),
            DirectoryField.Weight => (path + ".weight", location.Weight),
            DirectoryField.Region => (path + ".region", location.Region),
            DirectoryField.Addresses when (uint)violation.AddressIndex < (uint)location.AddressOffsets.Count =>
                ($"{path}.addresses[{violation.AddressIndex}]", location.AddressOffsets[violation.AddressIndex]),
            DirectoryField.Addresses => (path + ".addresses", location.Addresses),
            _ => (path, location.Start),
        };
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    /// <summary>The reader's message without its own location suffix (the exception carries ours).</summary>
    private static string SyntaxDetail(JsonException error)
    {
        var message = error.Message;
        var suffix = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return suffix > 0 ? message[..suffix] : message;
    }

    /// <summary>Where each value of one validator object starts (offsets into the content after any BOM).</summary>
    private sealed class ValidatorLocation
    {
        public long Start;
        public long PeerId;
        public long PublicKey;
        public long Weight;
        public long Region;
        public long Addresses;
        public readonly List<long> AddressOffsets = [];
    }
}
