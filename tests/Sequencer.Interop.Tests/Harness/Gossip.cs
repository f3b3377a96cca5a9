using System.Text;

namespace Sequencer.Interop.Tests.Harness;

/// <summary>What the interop tests check about GossipSub delivery between two connected nodes.</summary>
internal static class Gossip
{
    private const int MessagesPerDirection = 5;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SubscriptionTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Messages published by each node reach the other, each exactly once, on the scope's topic, and under StrictSign
    /// with the publisher's peer id as author; neither node reports an error.
    /// </summary>
    public static async Task ExchangeBothWaysAsync(PeerScope scope, InteropPeer a, InteropPeer b)
    {
        var toB = await SendAsync(scope, a, b);
        var toA = await SendAsync(scope, b, a);
        AssertDeliveredOnce(b, toB);
        AssertDeliveredOnce(a, toA);
        AssertNoErrors(a);
        AssertNoErrors(b);
    }

    public static void AssertNoErrors(InteropPeer peer)
    {
        if (peer.Process.Count(e => e.Kind == "error") > 0)
            throw new InteropException($"{peer.Name} reported errors.{peer.Process.Diagnostics()}");
    }

    /// <summary>The UTF-8 text a message event carries (its data hex decoded), or null.</summary>
    public static string? Text(PeerEvent message)
    {
        if (message.Kind != "message" || message.String("data") is not { } hex)
            return null;
        try
        {
            return Encoding.UTF8.GetString(Convert.FromHexString(hex));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static async Task<string[]> SendAsync(PeerScope scope, InteropPeer publisher, InteropPeer subscriber)
    {
        var tag = $"{publisher.Key.Name}>{subscriber.Key.Name} {Guid.NewGuid():N}";
        await ProbeUntilDeliveredAsync(publisher, subscriber, $"probe {tag}");

        var texts = Enumerable.Range(0, MessagesPerDirection).Select(i => $"message {i} {tag}").ToArray();
        foreach (var text in texts)
            await publisher.Process.PublishAsync(text);
        foreach (var text in texts)
        {
            var delivered = await subscriber.Process.WaitForAsync($"message \"{text}\" from {publisher.Name}", e => e.CarriesText(text), DeliveryTimeout);
            if (delivered.String("topic") != scope.Topic)
                throw new InteropException($"{subscriber.Name} delivered \"{text}\" on topic {delivered.String("topic")}, not {scope.Topic}.{subscriber.Process.Diagnostics()}");
            if (scope.Sign == SignaturePolicy.StrictSign && delivered.String("from") != publisher.Key.PeerId)
                throw new InteropException($"{subscriber.Name} delivered \"{text}\" as from {delivered.String("from")}, but {publisher.Name} signed it as {publisher.Key.PeerId}.{subscriber.Process.Diagnostics()}");
        }
        return texts;
    }

    // A node learns the other's subscription only after the connection is up (and, for js, after identify or the
    // other's meshsub stream), and GossipSub sends only to peers known to subscribe: until then a publish goes
    // nowhere. So probes go out every half second until the first one arrives.
    private static async Task ProbeUntilDeliveredAsync(InteropPeer publisher, InteropPeer subscriber, string prefix)
    {
        var deadline = DateTime.UtcNow + SubscriptionTimeout;
        for (var probe = 0; ; probe++)
        {
            await publisher.Process.PublishAsync($"{prefix} {probe}");
            try
            {
                await subscriber.Process.WaitForAsync("probe", e => Text(e)?.StartsWith(prefix, StringComparison.Ordinal) == true, ProbeInterval);
                return;
            }
            catch (InteropException) when (DateTime.UtcNow < deadline && !subscriber.Process.HasExited && !publisher.Process.HasExited)
            {
            }
        }
    }

    private static void AssertDeliveredOnce(InteropPeer subscriber, IEnumerable<string> texts)
    {
        foreach (var text in texts)
        {
            var count = subscriber.Process.Count(e => e.CarriesText(text));
            if (count != 1)
                throw new InteropException($"{subscriber.Name} delivered \"{text}\" {count} times, not once.{subscriber.Process.Diagnostics()}");
        }
    }
}
