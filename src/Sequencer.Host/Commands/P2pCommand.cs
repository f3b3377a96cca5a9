using System.Buffers;
using System.CommandLine;
using System.IO.Pipelines;
using System.Runtime.InteropServices;
using Sequencer.Core.Identity;
using Sequencer.Host.Cli;
using Sequencer.Net.Addressing;
using Sequencer.Net.Host;
using Sequencer.Net.PubSub;
using Sequencer.Net.PubSub.Signing;

namespace Sequencer.Host.Commands;

/// <summary>
/// <c>sequencer p2p</c>: a libp2p node on one GossipSub topic, for checking connectivity with other libp2p nodes and
/// for the interop tests (the js reference node, interop/js/node.mjs, has the same command line and events).
/// <code>
/// sequencer p2p --key FILE [--listen MULTIADDR]… [--dial MULTIADDR]… --topic T [--sign strict|nosign]
///               [--muxer-in-noise on|off] [--ping-every SECONDS]
/// </code>
/// stdout carries one JSON object per line and nothing else:
/// <c>{"event":"ready","peerId":…,"addrs":[…]}</c> (listening, with /p2p, and subscribed);
/// <c>{"event":"connected","peer":…,"direction":"inbound"|"outbound","encryption":"/noise","muxer":"/yamux/1.0.0","muxerInNoise":bool}</c>;
/// <c>{"event":"disconnected","peer":…[,"reason":…]}</c>;
/// <c>{"event":"message","topic":…,"from":…,"data":"&lt;hex&gt;"}</c> (from: the author under StrictSign, the
/// forwarding peer under StrictNoSign, where messages carry no author);
/// <c>{"event":"ping","peer":…,"rttMs":…}</c> (with --ping-every); <c>{"event":"error","message":…}</c>.
/// Each stdin line (UTF-8, without its "\n") is published on the topic. End of stdin, SIGTERM or Ctrl-C stop the node
/// cleanly (exit 0).
/// </summary>
internal static class P2pCommand
{
    // The binary has about two seconds after SIGTERM before it is stopped forcibly; closing must fit well inside.
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromMilliseconds(750);

    public static Command Create()
    {
        var key = new Option<string>("--key") { Description = "Identity key file (libp2p PrivateKey protobuf, mode 0600)", Required = true };
        var listen = new Option<string[]>("--listen") { Description = "Listen address, e.g. /ip4/127.0.0.1/tcp/0 (repeatable)" };
        var dial = new Option<string[]>("--dial") { Description = "Address to dial once up, e.g. /ip4/…/tcp/…/p2p/<id> (repeatable)" };
        var topic = new Option<string>("--topic") { Description = "GossipSub topic to join and publish on", Required = true };
        var sign = new Option<string>("--sign") { Description = "Message signature policy", DefaultValueFactory = _ => "strict" };
        sign.AcceptOnlyFromAmong("strict", "nosign");
        var muxerInNoise = new Option<string>("--muxer-in-noise")
        {
            Description = "List /yamux/1.0.0 in the Noise handshake (off: always negotiate the muxer with multistream-select)",
            DefaultValueFactory = _ => "on",
        };
        muxerInNoise.AcceptOnlyFromAmong("on", "off");
        var pingEvery = new Option<double?>("--ping-every") { Description = "Ping every connected peer every SECONDS and print the round trips" };
        pingEvery.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<double?>() is { } seconds && !(seconds > 0 && seconds <= 86_400))
                result.AddError($"--ping-every must be a positive number of seconds, not {seconds}");
        });

        var command = new Command("p2p", "Run a libp2p node on one GossipSub topic: JSON events on stdout, stdin lines published")
        {
            key, listen, dial, topic, sign, muxerInNoise, pingEvery,
        };
        CommandRunner.SetAction(command, (parseResult, cancellationToken) => RunAsync(new Settings(
            parseResult.GetRequiredValue(key),
            parseResult.GetValue(listen) ?? [],
            parseResult.GetValue(dial) ?? [],
            parseResult.GetRequiredValue(topic),
            parseResult.GetRequiredValue(sign) == "strict" ? SignaturePolicy.StrictSign : SignaturePolicy.StrictNoSign,
            parseResult.GetRequiredValue(muxerInNoise) == "on",
            parseResult.GetValue(pingEvery) is { } seconds ? TimeSpan.FromSeconds(seconds) : null), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(Settings settings, CancellationToken invocationToken)
    {
        // SIGTERM stops the node like end of input. Observed: left to the invocation's own handling, SIGTERM ends the
        // process with exit code 143 even when the node stops at once; this registration takes the signal instead.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(invocationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });
        var cancellationToken = stopping.Token;
        using var events = new P2pEventWriter(Console.OpenStandardOutput());
        var listen = ParseAddresses(events, "--listen", settings.Listen);
        var dial = ParseAddresses(events, "--dial", settings.Dial);
        using var identity = ReadKey(events, settings.KeyFile);

        Libp2pHost host;
        try
        {
            host = Libp2pHost.Start(identity, new Libp2pHostOptions
            {
                ListenAddresses = listen,
                MuxerInNoise = settings.MuxerInNoise,
                CloseTimeout = CloseTimeout,
                PubSub = new GossipSubOptions { SignaturePolicy = settings.Sign, AllowPublishToZeroPeers = true },
            });
        }
        catch (Exception e) when (e is IOException or ArgumentException)
        {
            throw Fail(events, $"cannot start: {e.Message}", e);
        }

        await using (host.ConfigureAwait(false))
        {
            host.PeerConnected += connection => events.Connected(connection);
            host.PeerDisconnected += connection => events.Disconnected(connection);
            var authored = settings.Sign == SignaturePolicy.StrictSign;
            host.Subscribe(settings.Topic, message => events.Message(message, authored));
            events.Ready(host);

            foreach (var address in dial)
                _ = DialAsync(host, address, events);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var pinging = settings.PingEvery is { } interval ? PingLoopAsync(host, interval, events, stop.Token) : Task.CompletedTask;

            await PublishStandardInputAsync(host, settings.Topic, events, cancellationToken).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await pinging.ConfigureAwait(false);
        }
        return CommandRunner.Success;
    }

    private static async Task DialAsync(Libp2pHost host, Multiaddr address, P2pEventWriter events)
    {
        try
        {
            await host.DialAsync(address).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HostException { Error: HostError.HostClosed } or ObjectDisposedException)
        {
            // Stopping while the dial was under way.
        }
        catch (HostException e)
        {
            events.Error($"dial {address}: {e.Message}");
        }
    }

    private static async Task PingLoopAsync(Libp2pHost host, TimeSpan interval, P2pEventWriter events, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var connection in host.GetConnections())
                    _ = PingAsync(host, connection.RemotePeer, events, cancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private static async Task PingAsync(Libp2pHost host, PeerId peer, P2pEventWriter events, CancellationToken cancellationToken)
    {
        try
        {
            var rtt = await host.PingAsync(peer, cancellationToken).ConfigureAwait(false);
            events.Ping(peer, rtt);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!cancellationToken.IsCancellationRequested)
                events.Error($"ping {peer}: {e.Message}");
        }
    }

    /// <summary>Publishes each stdin line until end of input or cancellation (stdin cannot be cancelled, so it is raced).</summary>
    private static async Task PublishStandardInputAsync(Libp2pHost host, string topic, P2pEventWriter events, CancellationToken cancellationToken)
    {
        var input = PipeReader.Create(Console.OpenStandardInput(), new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        var cancelled = Task.Delay(Timeout.Infinite, cancellationToken);
        while (true)
        {
            var reading = input.ReadAsync().AsTask();
            if (await Task.WhenAny(reading, cancelled).ConfigureAwait(false) != reading)
                return;
            var result = await reading.ConfigureAwait(false);
            var buffer = result.Buffer;
            while (TryTakeLine(ref buffer, out var line))
            {
                // Wait rather than let a slow peer's full queue drop our own messages; the stdin pipe then slows the writer.
                try
                {
                    await host.WaitForPubSubRoomAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                Publish(host, topic, line, events);
            }
            if (result.IsCompleted)
            {
                if (!buffer.IsEmpty)
                    Publish(host, topic, buffer, events);
                input.AdvanceTo(buffer.End);
                await input.CompleteAsync().ConfigureAwait(false);
                return;
            }
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var end = buffer.PositionOf((byte)'\n');
        if (end is null)
        {
            line = default;
            return false;
        }
        line = buffer.Slice(0, end.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, end.Value));
        return true;
    }

    private static void Publish(Libp2pHost host, string topic, in ReadOnlySequence<byte> line, P2pEventWriter events)
    {
        PublishResult result;
        if (line.IsSingleSegment)
        {
            result = host.Publish(topic, line.FirstSpan);
        }
        else
        {
            var copy = ArrayPool<byte>.Shared.Rent((int)line.Length);
            line.CopyTo(copy);
            result = host.Publish(topic, copy.AsSpan(0, (int)line.Length));
            ArrayPool<byte>.Shared.Return(copy);
        }
        if (result.Status != PublishStatus.Published)
            events.Error($"publish: {result.Status} ({line.Length} bytes)");
    }

    private static Multiaddr[] ParseAddresses(P2pEventWriter events, string option, string[] texts)
    {
        var addresses = new Multiaddr[texts.Length];
        for (var i = 0; i < texts.Length; i++)
        {
            if (!Multiaddr.TryParse(texts[i], out var address, out var error))
                throw Fail(events, $"{option} {texts[i]}: not a multiaddr ({error})");
            addresses[i] = address;
        }
        return addresses;
    }

    private static PeerPrivateKey ReadKey(P2pEventWriter events, string path)
    {
        try
        {
            return KeyFile.Read(path);
        }
        catch (KeyFileException e)
        {
            throw Fail(events, $"--key {path}: {e.Message}", e);
        }
    }

    /// <summary>Reports a fatal error as an event (for programs reading stdout) and as the command's failure (stderr, exit 1).</summary>
    private static CommandFailedException Fail(P2pEventWriter events, string message, Exception? inner = null)
    {
        events.Error(message);
        return new CommandFailedException(message, inner);
    }

    private sealed record Settings(string KeyFile, string[] Listen, string[] Dial, string Topic, SignaturePolicy Sign,
        bool MuxerInNoise, TimeSpan? PingEvery);
}
