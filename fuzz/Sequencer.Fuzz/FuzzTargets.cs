using Sequencer.Fuzz.Targets;

namespace Sequencer.Fuzz;

/// <summary>Every fuzz target by name. A plain list rather than reflection, so adding a target is one line here.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new ProtobufReaderTarget(),
        new UnsignedVarintTarget(),
        new Base58Target(),
        new VrfProofTarget(),
        new Secp256k1SignaturesTarget(),
    ];

    public static IFuzzTarget? Find(string name)
    {
        foreach (var target in All)
        {
            if (target.Name == name)
                return target;
        }
        return null;
    }
}
