namespace Sequencer.Fuzz;

/// <summary>
/// One decoder under fuzz. <see cref="Run"/> feeds it arbitrary bytes and checks its contract: the decoder returns a
/// value or a typed error and never throws anything else, and where an encoder exists a decoded value re-encodes to
/// bytes that decode to an equal value. A broken contract throws <see cref="ContractViolationException"/>; afl-fuzz
/// and the replay tests count any exception that escapes <see cref="Run"/> as a crash.
/// </summary>
internal interface IFuzzTarget
{
    /// <summary>The name on the command line and of the corpus folder, fuzz/corpus/&lt;name&gt;/.</summary>
    string Name { get; }

    /// <summary>Small valid inputs built with the encoders: what <c>--write-seeds</c> puts into the corpus folder.</summary>
    IEnumerable<byte[]> Seeds();

    void Run(ReadOnlySpan<byte> input);
}
