namespace Sequencer.Host.Node;

/// <summary>A listener that hears nothing (every method has an empty default).</summary>
internal sealed class NullNodeListener : IValidatorNodeListener
{
    public static NullNodeListener Instance { get; } = new();
}
