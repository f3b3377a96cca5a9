using System.Buffers;
using System.Text;
using System.Text.Json;
using Sequencer.Core.Primitives;
using Sequencer.Host.Cluster;

namespace Sequencer.Host.Tests.Cluster;

public sealed class ControlProtocolTests
{
    private static ControlEvent Parse(string line) => ControlProtocol.ParseEvent(Encoding.UTF8.GetBytes(line));

    private const string Block = "AB00000000000000000000000000000000000000000000000000000000000001";

    [Fact]
    public void EveryEventOfTheProtocolParses()
    {
        var ready = Assert.IsType<ReadyEvent>(Parse(
            """{"event":"ready","index":3,"peerId":"12D3KooWabc","addrs":["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWabc"],"metricsPort":9601,"pid":4242}"""));
        Assert.Equal(new ReadyEvent(3, "12D3KooWabc", ready.Addresses, 9601, 4242), ready);
        Assert.Equal(["/ip4/127.0.0.1/tcp/4001/p2p/12D3KooWabc"], ready.Addresses);

        Assert.Equal(new PeersEvent(23), Parse("""{"event":"peers","connected":23}"""));

        var committee = Assert.IsType<CommitteeEvent>(Parse($$"""{"event":"committee","height":7,"block":"{{Block}}","main":[4,1,9],"backups":[2]}"""));
        Assert.Equal((7UL, Block.ToLowerInvariant()), (committee.Height, committee.Block));
        Assert.Equal([4, 1, 9], committee.Main);
        Assert.Equal([2], committee.Backups);

        Assert.Equal(new OutcomeEvent(7, Block.ToLowerInvariant(), RoundOutcomeKind.Accepted, 12.5, 9, null),
            Parse($$"""{"event":"outcome","height":7,"block":"{{Block}}","outcome":"accepted","latencyMs":12.5,"signers":9}"""));
        Assert.Equal(new OutcomeEvent(8, Block.ToLowerInvariant(), RoundOutcomeKind.TimedOut, 20000, null, "2 of 13 attested"),
            Parse($$"""{"event":"outcome","height":8,"block":"{{Block}}","outcome":"timedOut","latencyMs":20000,"diagnosis":"2 of 13 attested"}"""));

        Assert.Equal(new CertificateEvent(7, Block.ToLowerInvariant(), "accept"),
            Parse($$"""{"event":"certificate","height":7,"block":"{{Block}}","value":"accept"}"""));
        Assert.Equal(new SignedEvent("vote", 5, 7, Block.ToLowerInvariant(), "reject", "ff00"),
            Parse($$"""{"event":"signed","kind":"vote","signer":5,"height":7,"block":"{{Block}}","value":"reject","digest":"FF00"}"""));
        Assert.Equal(new DecisionEvent(7, NodeDecision.Accepted, Block.ToLowerInvariant()),
            Parse($$"""{"event":"decision","height":7,"state":"accepted","block":"{{Block}}"}"""));
        Assert.Equal(new DecisionEvent(9, NodeDecision.Unknown, null), Parse("""{"event":"decision","height":9,"state":"unknown"}"""));
        Assert.Equal(new ErrorEvent("bad command"), Parse("""{"event":"error","message":"bad command"}"""));
        Assert.Equal(new StoppedEvent("stdin closed"), Parse("""{"event":"stopped","reason":"stdin closed"}"""));
    }

    [Fact]
    public void OrderUnknownPropertiesAndUnknownEventsAreTolerated()
    {
        Assert.Equal(new PeersEvent(4), Parse("""{"connected":4,"extra":{"nested":[1,2]},"event":"peers","more":null}"""));
        Assert.Equal(new UnknownEvent("gossip"), Parse("""{"event":"gossip","anything":1}"""));
        // Signers as the signer list, a diagnosis as an object: the count, and the raw JSON.
        var outcome = Assert.IsType<OutcomeEvent>(Parse(
            $$$"""{"event":"outcome","height":1,"block":"{{{Block}}}","outcome":"rejected","latencyMs":3,"signers":[0,2,5],"diagnosis":{"attested":2}}"""));
        Assert.Equal(3, outcome.Signers);
        Assert.Equal("""{"attested":2}""", outcome.Diagnosis);
    }

    [Theory]
    [InlineData("", "JSON object")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("{\"event\":\"peers\",\"connected\":1", "not a JSON object")]
    [InlineData("{\"event\":\"peers\",\"connected\":1} {}", "not a JSON object")]
    [InlineData("{\"connected\":1}", "no \"event\"")]
    [InlineData("{\"event\":\"peers\"}", "\"connected\"")]
    [InlineData("{\"event\":\"peers\",\"connected\":\"1\"}", "\"connected\"")]
    [InlineData("{\"event\":\"peers\",\"connected\":1.5}", "not a 32-bit integer")]
    [InlineData("{\"event\":\"decision\",\"height\":-1,\"state\":\"unknown\"}", "unsigned 64-bit")]
    [InlineData("{\"event\":\"decision\",\"height\":1,\"state\":\"maybe\"}", "decision state \"maybe\"")]
    [InlineData("{\"event\":\"outcome\",\"height\":1,\"block\":\"ab\",\"outcome\":\"won\",\"latencyMs\":1}", "outcome \"won\"")]
    [InlineData("{\"event\":\"certificate\",\"height\":1,\"block\":\"xyz\",\"value\":\"accept\"}", "not hexadecimal")]
    [InlineData("{\"event\":\"committee\",\"height\":1,\"block\":\"ab\",\"main\":\"1,2\",\"backups\":[]}", "array of integers")]
    [InlineData("{\"event\":\"ready\",\"index\":0,\"peerId\":\"p\",\"addrs\":[1],\"metricsPort\":0,\"pid\":1}", "wrong type")]
    [InlineData("{\"event\":\"error\",\"message\":\"\\ud800\"}", "wrong type")]
    public void ABrokenLineIsATypedErrorNamingTheProblem(string line, string expected)
    {
        var error = Assert.Throws<ControlProtocolException>(() => Parse(line));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void ALineOverTheLimitIsRefusedBeforeParsing()
    {
        var line = new byte[ControlProtocol.MaxLineLength + 1];
        Assert.Contains("at most", Assert.Throws<ControlProtocolException>(() => ControlProtocol.ParseEvent(line)).Message);
    }

    [Fact]
    public void CommandsAreOneObjectPerLineWithTheCommandFirst()
    {
        var parent = default(Hash32);
        var block = default(Hash32);
        block[31] = 0xAB;
        var output = new ArrayBufferWriter<byte>();
        ControlProtocol.WritePropose(output, 12, parent, block);
        ControlProtocol.WriteDecisionQuery(output, 12);
        ControlProtocol.WriteStop(output);
        var lines = Encoding.UTF8.GetString(output.WrittenSpan).Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.Equal("", lines[3]);
        Assert.Equal($$"""{"cmd":"propose","height":12,"parent":"{{new string('0', 64)}}","block":"{{new string('0', 62)}}ab"}""", lines[0]);
        Assert.Equal("""{"cmd":"decision","height":12}""", lines[1]);
        Assert.Equal("""{"cmd":"stop"}""", lines[2]);
        foreach (var line in lines[..3])
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("cmd", json.RootElement.EnumerateObject().First().Name);
        }
    }
}
