namespace Sequencer.Interop.Tests.Harness;

/// <summary>
/// A fixed libp2p identity as a <c>PrivateKey</c> protobuf, with the peer id js-libp2p derives from it. The first two
/// are the keys of ../shared/interop/README.md (peer ids given there); the other two were derived with
/// @libp2p/crypto 5.1.8, and the secp256k1 one starts with a byte ≥ 0x80, which a signed-number reading of the scalar
/// gets wrong.
/// </summary>
internal sealed record TestKey(string Name, string PrivateKeyProtobufHex, string PeerId)
{
    /// <summary>secp256k1 scalar 0x11 × 32.</summary>
    public static readonly TestKey Secp256k1A = new(
        "secp256k1-11",
        "08021220" + string.Concat(Enumerable.Repeat("11", 32)),
        "16Uiu2HAmHzBkRq62mG95vsjKMuYQBezZCtjPXYWUoyVxMxi71aB3");

    /// <summary>secp256k1 scalar 0xe1 × 32.</summary>
    public static readonly TestKey Secp256k1B = new(
        "secp256k1-e1",
        "08021220" + string.Concat(Enumerable.Repeat("e1", 32)),
        "16Uiu2HAmD8MvDPaMJ7CGQBcpJnfhKHoKH1P2qWE9ymEFSgriLoMq");

    /// <summary>Ed25519 seed 0x22 × 32 (protobuf data: seed ‖ public key).</summary>
    public static readonly TestKey Ed25519A = new(
        "ed25519-22",
        "08011240" + string.Concat(Enumerable.Repeat("22", 32)) + "a09aa5f47a6759802ff955f8dc2d2a14a5c99d23be97f864127ff9383455a4f0",
        "12D3KooWLdJAwPtyQ5RFnr9wGXsQzpf3P2SeqFbYkqbfVehLu4Ns");

    /// <summary>Ed25519 seed 0x33 × 32.</summary>
    public static readonly TestKey Ed25519B = new(
        "ed25519-33",
        "08011240" + string.Concat(Enumerable.Repeat("33", 32)) + "17cb79fb2b4120f2b1ec65e4198d6e08b28e813feb01e4a400839b85e18080ce",
        "12D3KooWBRFW3HkJCLKSWb4yG6iWRBpgNjbM4FFvNsL5T5JKTqrd");

    public static TestKey ByName(string name) =>
        new[] { Secp256k1A, Secp256k1B, Ed25519A, Ed25519B }.Single(key => key.Name == name);

    /// <summary>Writes the key file owner-only, as <c>sequencer p2p</c> requires, and returns its path.</summary>
    public string WriteTo(DirectoryInfo directory)
    {
        var path = System.IO.Path.Combine(directory.FullName, Name + ".key");
        using var file = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        file.Write(Convert.FromHexString(PrivateKeyProtobufHex));
        return path;
    }

    public override string ToString() => Name;
}
