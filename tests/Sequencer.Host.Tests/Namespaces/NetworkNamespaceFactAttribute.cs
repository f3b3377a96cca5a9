namespace Sequencer.Host.Tests.Namespaces;

/// <summary>
/// A fact that needs network namespaces: where the machine does not allow them the test is reported as skipped with
/// the probed reason (xunit 2 reads <see cref="FactAttribute.Skip"/> from the attribute instance, so setting it here
/// is the dynamic skip xunit 2 otherwise lacks).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class NetworkNamespaceFactAttribute : FactAttribute
{
    public NetworkNamespaceFactAttribute()
    {
        if (NetworkNamespaces.UnavailableReason is { } reason)
            Skip = "network namespaces are not available here: " + reason;
    }
}
