using Sequencer.Core.Crypto;

namespace Sequencer.Core.Tests.Crypto.Secp256k1;

/// <summary>
/// Base of every secp256k1 test class. libsecp256k1 reports an illegal argument (a NULL pointer, a bad context…)
/// through a callback that the project turns into "return 0"; such a call would look like an ordinary invalid input
/// while really being a bug in the binding. After each test, the process-wide count of those calls must still be 0.
/// </summary>
public abstract class Secp256k1TestBase : IDisposable
{
    public void Dispose()
    {
        GC.SuppressFinalize(this);
        Assert.Equal(0, Secp256k1Context.IllegalArgumentCalls);
    }
}
