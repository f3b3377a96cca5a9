namespace Sequencer.Interop.Tests.Harness;

/// <summary>Where a node listens or what it dials (the command lines' <c>--listen</c> and <c>--dial</c>).</summary>
internal sealed record PeerOptions
{
    private PeerOptions(string role, bool listen, string? dial)
    {
        Role = role;
        Listen = listen;
        Dial = dial;
    }

    /// <summary>"listener" or "dialer", for failure messages.</summary>
    public string Role { get; }

    /// <summary>Listens on 127.0.0.1, on a port the system picks (the ready event gives it).</summary>
    public bool Listen { get; }

    /// <summary>A multiaddr ending in /p2p/&lt;peer id&gt; that the node dials once it is up.</summary>
    public string? Dial { get; }

    public static PeerOptions Listening() => new("listener", listen: true, dial: null);

    public static PeerOptions Dialing(string address) => new("dialer", listen: false, address);

    public IEnumerable<string> Arguments(string keyFile, string topic, SignaturePolicy sign)
    {
        yield return "--key";
        yield return keyFile;
        if (Listen)
        {
            yield return "--listen";
            yield return "/ip4/127.0.0.1/tcp/0";
        }
        if (Dial is not null)
        {
            yield return "--dial";
            yield return Dial;
        }
        yield return "--topic";
        yield return topic;
        yield return "--sign";
        yield return sign == SignaturePolicy.StrictSign ? "strict" : "nosign";
    }
}
