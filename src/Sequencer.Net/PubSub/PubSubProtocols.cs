namespace Sequencer.Net.PubSub;

/// <summary>The multistream-select protocol ids of gossipsub, newest first (the order js proposes them).</summary>
public static class PubSubProtocols
{
    public const string MeshSub12 = "/meshsub/1.2.0";
    public const string MeshSub11 = "/meshsub/1.1.0";
    public const string MeshSub10 = "/meshsub/1.0.0";

    /// <summary>What a node offers and accepts, in order of preference.</summary>
    public static IReadOnlyList<string> All { get; } = [MeshSub12, MeshSub11, MeshSub10];

    public static bool TryParse(string protocolId, out PubSubProtocol protocol)
    {
        switch (protocolId)
        {
            case MeshSub12:
                protocol = PubSubProtocol.MeshSub12;
                return true;
            case MeshSub11:
                protocol = PubSubProtocol.MeshSub11;
                return true;
            case MeshSub10:
                protocol = PubSubProtocol.MeshSub10;
                return true;
            default:
                protocol = default;
                return false;
        }
    }
}
