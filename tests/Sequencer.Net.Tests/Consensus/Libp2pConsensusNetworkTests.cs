using System.Collections.Concurrent;
using Sequencer.Core.Crypto.Secp256k1;
using Sequencer.Core.Ports;
using Sequencer.Core.Validators;
using Sequencer.Net.Consensus;
using Sequencer.Net.Host;
using Sequencer.Net.Streams;
using Sequencer.Net.Tests.Host;

namespace Sequencer.Net.Tests.Consensus;

/// <summary>The adapter between two real hosts, with a recording engine on each side.</summary>
public sealed class Libp2pConsensusNetworkTests
{
    [Fact]
    public async Task A_request_gets_one_response_even_when_the_engine_answers_twice_and_senders_are_authenticated_indices()
    {
        await using var pair = await Pair.StartAsync();
        pair.B.Events.Answer = (network, request, payload) =>
        {
            network.SendResponse(request, payload.ToArray().Reverse().ToArray());
            network.SendResponse(request, "second"u8.ToArray());
        };

        pair.A.Network.SendRequest(1, SequencerProtocol.Vote, new byte[] { 1, 2, 3 }, new RequestId(7), TimeSpan.FromSeconds(10));

        var result = await pair.A.Events.Results.Reader.ReadAsync().AsTask().WithinGuard();
        Assert.Equal(("response", 7L, 1, "3,2,1"), result);
        var request = Assert.Single(pair.B.Events.Requests);
        Assert.Equal((0, SequencerProtocol.Vote, "1,2,3"), request);
        Assert.Equal(0, pair.B.Network.PendingInboundRequests);
        // Nothing else arrives for the same id.
        await pair.A.Network.Host.PingAsync(pair.B.Network.Host.PeerId).WithinGuard();
        Assert.False(pair.A.Events.Results.Reader.TryRead(out _));
    }

    [Fact]
    public async Task An_unanswered_request_fails_once_at_its_sender_and_is_released_at_its_receiver()
    {
        await using var pair = await Pair.StartAsync(inboundLifetime: TimeSpan.FromMilliseconds(400));
        pair.B.Events.Answer = (_, _, _) => { };

        pair.A.Network.SendRequest(1, SequencerProtocol.Sync, new byte[] { 9 }, new RequestId(3), TimeSpan.FromMilliseconds(300));

        var result = await pair.A.Events.Results.Reader.ReadAsync().AsTask().WithinGuard();
        Assert.Equal(("failed", 3L, 1, nameof(RequestFailure.TimedOut)), result);
        await Eventually.TrueAsync(() => pair.B.Network.PendingInboundRequests == 0, "the unanswered request expired");
    }

    [Fact]
    public async Task Requests_to_no_validator_or_to_itself_fail_as_unreachable()
    {
        await using var pair = await Pair.StartAsync();
        pair.A.Network.SendRequest(5, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(1), TimeSpan.FromSeconds(1));
        pair.A.Network.SendRequest(0, SequencerProtocol.Vote, new byte[] { 1 }, new RequestId(2), TimeSpan.FromSeconds(1));
        var first = await pair.A.Events.Results.Reader.ReadAsync().AsTask().WithinGuard();
        var second = await pair.A.Events.Results.Reader.ReadAsync().AsTask().WithinGuard();
        Assert.Equal(("failed", 1L, 5, nameof(RequestFailure.Unreachable)), first);
        Assert.Equal(("failed", 2L, 0, nameof(RequestFailure.Unreachable)), second);
    }

    [Fact]
    public async Task Topic_messages_carry_their_signer_s_index_and_the_validator_s_verdict_decides_delivery()
    {
        await using var pair = await Pair.StartAsync();
        var validator = new ByFirstByte();
        await pair.B.Loop.InvokeAsync(() => pair.B.Network.Subscribe("t", validator));
        await pair.A.Loop.InvokeAsync(() => pair.A.Network.Subscribe("t", validator));
        await Eventually.TrueAsync(() => pair.A.Network.Host.PubSub.GetTopicPeers("t").Count == 1, "A sees B on the topic");

        await pair.A.Loop.InvokeAsync(() => pair.A.Network.Publish("t", new byte[] { 0, 1 }));
        await pair.A.Loop.InvokeAsync(() => pair.A.Network.Publish("t", new byte[] { 1, 2 }));

        var delivered = await pair.B.Events.Topics.Reader.ReadAsync().AsTask().WithinGuard();
        Assert.Equal(("t", 0, "1,2"), delivered);
        Assert.Contains((0, "0,1"), validator.Seen);
        Assert.False(pair.B.Events.Topics.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Connections_to_the_directory_s_validators_are_made_and_counted()
    {
        await using var pair = await Pair.StartAsync();
        await Eventually.TrueAsync(() => pair.A.Network.ConnectedValidators == 1 && pair.B.Network.ConnectedValidators == 1, "both connected");
    }

    [Fact]
    public async Task A_connection_opened_for_requests_to_an_unkept_validator_closes_once_idle_and_reopens_on_the_next_request()
    {
        await using var pair = await Pair.StartAsync(adjust: options => options with
        {
            KeepConnectedTo = _ => false,
            CloseUnkeptAfter = TimeSpan.FromMilliseconds(300),
        });
        pair.B.Events.Answer = (network, request, payload) => network.SendResponse(request, payload.ToArray());

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            pair.A.Network.SendRequest(1, SequencerProtocol.Vote, new byte[] { (byte)attempt }, new RequestId(attempt), TimeSpan.FromSeconds(10));
            var result = await pair.A.Events.Results.Reader.ReadAsync().AsTask().WithinGuard();
            Assert.Equal(("response", (long)attempt, 1, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture)), result);
            await Eventually.TrueAsync(() => pair.A.Network.ConnectedValidators == 0 && pair.B.Network.ConnectedValidators == 0,
                "the idle connection closed");
        }
    }

    private sealed class ByFirstByte : ITopicValidator
    {
        public ConcurrentBag<(int, string)> Seen { get; } = [];

        public TopicVerdict Validate(int fromValidator, ReadOnlySpan<byte> payload)
        {
            Seen.Add((fromValidator, string.Join(',', payload.ToArray())));
            return payload[0] == 0 ? TopicVerdict.Ignore : TopicVerdict.Accept;
        }
    }

    private sealed class Recorder : INetworkEvents
    {
        public Action<Libp2pConsensusNetwork, InboundRequestId, ReadOnlySpan<byte>>? Answer { get; set; }

        public Libp2pConsensusNetwork? Network { get; set; }

        public ConcurrentQueue<(int From, SequencerProtocol Protocol, string Payload)> Requests { get; } = new();

        public System.Threading.Channels.Channel<(string Kind, long Id, int Validator, string Detail)> Results { get; } =
            System.Threading.Channels.Channel.CreateUnbounded<(string, long, int, string)>();

        public System.Threading.Channels.Channel<(string Topic, int From, string Payload)> Topics { get; } =
            System.Threading.Channels.Channel.CreateUnbounded<(string, int, string)>();

        public void OnRequest(InboundRequestId request, int fromValidator, SequencerProtocol protocol, ReadOnlySpan<byte> payload)
        {
            Requests.Enqueue((fromValidator, protocol, string.Join(',', payload.ToArray())));
            Answer?.Invoke(Network!, request, payload);
        }

        public void OnResponse(RequestId id, int fromValidator, ReadOnlySpan<byte> payload) =>
            Results.Writer.TryWrite(("response", id.Value, fromValidator, string.Join(',', payload.ToArray())));

        public void OnRequestFailed(RequestId id, int toValidator, RequestFailure reason) =>
            Results.Writer.TryWrite(("failed", id.Value, toValidator, reason.ToString()));

        public void OnTopicMessage(string topic, int fromValidator, ReadOnlySpan<byte> payload) =>
            Topics.Writer.TryWrite((topic, fromValidator, string.Join(',', payload.ToArray())));
    }

    private sealed class Side(TestHost host, SerialNodeLoop loop, Libp2pConsensusNetwork network, Recorder events)
    {
        public TestHost Host { get; } = host;

        public SerialNodeLoop Loop { get; } = loop;

        public Libp2pConsensusNetwork Network { get; } = network;

        public Recorder Events { get; } = events;
    }

    private sealed class Pair(Side a, Side b) : IAsyncDisposable
    {
        public Side A { get; } = a;

        public Side B { get; } = b;

        public static Task<Pair> StartAsync(TimeSpan? inboundLifetime = null, Func<ConsensusNetworkOptions, ConsensusNetworkOptions>? adjust = null)
        {
            var hosts = new[] { TestHost.Start(), TestHost.Start() };
            var specs = hosts.Select(h => new ValidatorSpec(h.PeerId, Secp256k1PrivateKey.Generate().PublicKey, 1, "r",
                [h.Host.ListenAddresses[0].WithoutPeerId().ToString()])).ToArray();
            var directory = new FixedValidatorDirectorySource(ValidatorDirectory.Create(1, 0, specs));
            var sides = hosts.Select(host =>
            {
                var loop = new SerialNodeLoop(_ => { });
                var options = new ConsensusNetworkOptions { InboundRequestLifetime = inboundLifetime ?? TimeSpan.FromSeconds(20) };
                var network = new Libp2pConsensusNetwork(host.Host, directory, loop, adjust?.Invoke(options) ?? options);
                var events = new Recorder { Network = network };
                network.Start(events);
                return new Side(host, loop, network, events);
            }).ToArray();
            // Side order must match directory order: hosts[i] is validator i.
            return Task.FromResult(new Pair(sides[0], sides[1]));
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var side in (Side[])[A, B])
            {
                await side.Network.DisposeAsync();
                await side.Host.DisposeAsync();
            }
        }
    }
}
