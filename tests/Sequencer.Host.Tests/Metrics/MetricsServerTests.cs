using System.Net;
using System.Net.Sockets;
using System.Text;
using Sequencer.Host.Metrics;

namespace Sequencer.Host.Tests.Metrics;

public sealed class MetricsServerTests : IAsyncLifetime
{
    private readonly MetricsRegistry _registry = new();
    private SequencerMetrics _metrics = null!;
    private MetricsServer _server = null!;

    public Task InitializeAsync()
    {
        _metrics = new SequencerMetrics(_registry);
        _server = MetricsServer.Start(_registry, IPAddress.Loopback, 0);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private Uri Url(string path) => new($"http://127.0.0.1:{_server.LocalEndPoint.Port}{path}");

    /// <summary>Sends raw bytes and returns everything the server answers before it closes.</summary>
    private async Task<string> RawAsync(byte[] request)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(_server.LocalEndPoint);
        await client.SendAsync(request);
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int read;
        while ((read = await client.ReceiveAsync(buffer)) > 0)
            answer.Write(buffer, 0, read);
        return Encoding.ASCII.GetString(answer.ToArray());
    }

    [Fact]
    public async Task ScrapeOverLoopbackGivesTheExpositionWithItsContentType()
    {
        _metrics.Rounds.Increment(SequencerMetrics.Accepted);
        _metrics.ConnectedPeers.Set(5);
        using var http = new HttpClient();
        using var response = await http.GetAsync(Url("/metrics"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var exposition = Exposition.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(1, exposition["sequencer_rounds_total{outcome=\"accepted\"}"]);
        Assert.Equal(5, exposition["sequencer_connected_peers"]);
        Assert.Equal(0, exposition["sequencer_votes_verified_total"]);
    }

    [Fact]
    public async Task OtherPathsAndMethodsAreRefusedAndTheServerKeepsServing()
    {
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Url("/"))).StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, (await http.PostAsync(Url("/metrics"), new StringContent("x"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(Url("/metrics?x=1"))).StatusCode);
        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, Url("/metrics")));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n", "400 Bad Request")]
    [InlineData("GET /metrics HTTP/2.0\r\n\r\n", "400 Bad Request")]
    [InlineData("GET\r\n\r\n", "400 Bad Request")]
    [InlineData("\r\n\r\n", "400 Bad Request")]
    [InlineData("GET /metrics HTTP/1.0\r\n\r\n", "200 OK")]
    public async Task MalformedRequestsGetAnErrorNotACrash(string request, string status)
    {
        var answer = await RawAsync(Encoding.ASCII.GetBytes(request));
        Assert.StartsWith($"HTTP/1.1 {status}\r\n", answer);
        Assert.Contains("Connection: close\r\n", answer);
        Assert.StartsWith("HTTP/1.1 200 OK", await RawAsync("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n"u8.ToArray()));
    }

    [Fact]
    public async Task OversizedRequestHeadIsRefused()
    {
        var request = Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nX: " + new string('a', MetricsServer.MaxRequestHeadBytes) + "\r\n\r\n");
        string answer;
        try
        {
            answer = await RawAsync(request);
        }
        catch (SocketException)
        {
            // The server may close while the rest of the request is still in flight (a reset); it must still serve others.
            answer = "";
        }
        Assert.True(answer.Length == 0 || answer.StartsWith("HTTP/1.1 431 ", StringComparison.Ordinal), answer);
        Assert.StartsWith("HTTP/1.1 200 OK", await RawAsync("GET /metrics HTTP/1.1\r\n\r\n"u8.ToArray()));
    }

    [Fact]
    public async Task StopEndsIdleConnectionsAndFreesThePort()
    {
        using var idle = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await idle.ConnectAsync(_server.LocalEndPoint);
        var port = _server.LocalEndPoint.Port;
        // Stopping must not wait for the idle client's request timeout.
        await _server.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(4));

        Assert.Equal(0, await idle.ReceiveAsync(new byte[16]));
        using var again = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await Assert.ThrowsAsync<SocketException>(() => again.ConnectAsync(IPAddress.Loopback, port));
        _server = MetricsServer.Start(_registry, IPAddress.Loopback, 0);
    }
}
